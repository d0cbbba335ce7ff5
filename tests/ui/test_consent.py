"""True consent by touch, on the real stacks: the list shown is what the API receives.

Every e-ID journey (request, pay, status) shows what was read to show her name, what is
read once she agrees, and what is sent to the procedure office. The virtual card's APDU
log proves what was read and when; the reference API's database proves what it received;
its staff route shows the consent record (field names, never values). "No, I don't agree"
reads nothing more and offers the ways that need no card.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.services.consent import consent_terms
from procedure_api.catalog_data import CATEGORIES, PROCEDURES
from rig.harness import LANDSCAPE, KioskUI
from tests.fixtures.ui import MARIA, WAIT_CARD_S, KioskStack
from tests.ui.looks import look, look_both, texts

CATALOG = {p["id"]: p for p in PROCEDURES}
SENIOR_CARD = CATALOG["senior_card"]  # e-ID, free, the form pre-filled from the card
PROPERTY_TAX = "Pagar el impuesto predial"  # "id_number" in the catalog, paid after the PIN
IDENTITY, ADDRESS, AUTH_CERT = "3F00DF014031", "3F00DF014033", "3F00DF005038"
SEND_S = 30.0


def _files_read(stack: KioskStack, since: int = 0) -> list[str]:
    """The card's files read (READ BINARY) by the kiosk, in order, without repeats."""
    files = [str(a["file"]) for a in stack.card.apdu_log(since) if a["ins"] == "read_binary"]
    return list(dict.fromkeys(files))


def _last_apdu(stack: KioskStack) -> int:
    return int(stack.card.status()["apdu_count"])


def _listed(ui: KioskUI, target: str) -> list[str]:
    return [line.strip("• ") for line in ui.call("widget", target=target)["text"].splitlines()]


def _labels(journey: str, procedure: dict[str, Any] | None) -> dict[str, str]:
    """Field name -> its Spanish label, as the consent screen writes it."""
    terms = consent_terms(journey, procedure)
    every = (*terms.read_before, *terms.read_after, *terms.shared)
    return {f.label["es"]: f.name for f in every}


def _consents(stack: KioskStack, journey: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = stack.api.staff("GET", "/staff/consents")["consents"]
    return [r for r in records if r["journey"] == journey]


def _at_consent(ui: KioskUI) -> None:
    ui.wait_until(lambda: ui.call("screen") == "identify_confirm", "the confirmation",
                  timeout=WAIT_CARD_S)
    ui.tap_through(("confirm", "identify_consent"))


def _pin(ui: KioskUI, then: str) -> None:
    ui.call("type_text", text=MARIA.pin)
    ui.tap("pin_confirm")
    ui.wait_until(lambda: ui.call("screen") == then, then, timeout=SEND_S)


def test_request_consent_lists_what_the_submission_carries_and_is_recorded_at_the_api(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    ui = stack.start()
    (category,) = [c for c in CATEGORIES if c["id"] == SENIOR_CARD["category_id"]]
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("request", "categories"), (category["title"]["es"], "procedures"),
                   (SENIOR_CARD["title"]["es"], "procedure"))
    start = _last_apdu(stack)
    ui.tap("start")  # María's card is in: its identity page is read to show her name
    _at_consent(ui)
    labels = _labels("request", SENIOR_CARD)
    assert [labels[x] for x in _listed(ui, "read_before")] == ["identity_page"]
    assert [labels[x] for x in _listed(ui, "read_after")] == ["address", "certificate"]
    shown_shared = [labels[x] for x in _listed(ui, "fields")]
    assert shown_shared == ["national_number", "full_name", "address"]
    assert "la oficina de trámites de la municipalidad" in ui.call(
        "widget", target="with_whom")["text"]
    before = _files_read(stack, start)
    assert IDENTITY in before and ADDRESS not in before and AUTH_CERT not in before
    look_both(ui, "identify_consent-request", artifacts_dir, english="Before we use your card")

    agreed_at = _last_apdu(stack)
    ui.tap("agree")  # now, and only now, the address the form needs
    ui.wait_for_screen("request_form")
    assert ADDRESS in _files_read(stack, agreed_at)
    ui.tap("next")  # the phone is optional
    ui.wait_for_screen("request_check")
    ui.tap("confirm")
    ui.wait_for_screen("identify_pin")
    _pin(ui, "request_done")

    ((national_number, form),) = stack.api_rows(
        "SELECT national_number, form FROM cases WHERE procedure_id = ?"
        " AND idempotency_key IS NOT NULL", SENIOR_CARD["id"])
    received = json.loads(form)
    assert national_number == MARIA.national_number  # the signed session carries it
    from_card = {name for name in received if name in labels.values()}
    assert from_card == set(shown_shared)  # every card field sent was listed, and no other
    assert received["address"] and received["full_name"] == (
        f"{MARIA.given_names} {MARIA.surname}")

    ui.wait_until(lambda: _consents(stack, "request"), "the consent at the API")
    (record,) = _consents(stack, "request")
    assert record["decision"] == "agreed" and record["procedure_id"] == SENIOR_CARD["id"]
    assert record["fields_shared"] == shown_shared
    assert record["fields_read"] == ["identity_page", "address", "certificate"]
    assert record["kiosk_id"] == stack.overrides["kiosk"]["id"]
    assert MARIA.national_number not in json.dumps(record)
    assert MARIA.surname not in json.dumps(record)


def test_pay_consent_lists_the_number_the_pin_step_shares_and_never_reads_the_address(
        kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    ui = stack.start()
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("pay", "procedures"), (PROPERTY_TAX, "procedure"), ("start", "pay_start"))
    start = _last_apdu(stack)
    ui.tap("pay_card")
    _at_consent(ui)
    labels = _labels("pay", CATALOG["property_tax"])
    shown_shared = [labels[x] for x in _listed(ui, "fields")]
    assert shown_shared == ["national_number", "full_name"]  # was empty (issue 16)
    assert [labels[x] for x in _listed(ui, "read_after")] == ["certificate"]
    ui.tap_through(("agree", "identify_pin"))
    _pin(ui, "pay_debts")
    assert ADDRESS not in _files_read(stack, start)  # a payment never needs it

    # What the town hall received: the signed session (her number) and nothing else.
    sessions = stack.api_rows("SELECT national_number FROM citizen_sessions")
    assert sessions == [(MARIA.national_number,)]
    ui.wait_until(lambda: _consents(stack, "pay"), "the consent at the API")
    (record,) = _consents(stack, "pay")
    assert record["procedure_id"] == "property_tax" and record["fields_shared"] == shown_shared
    assert "address" not in record["fields_read"]


def test_status_consent_lists_what_her_cases_need(kiosk_stack: KioskStack) -> None:
    stack = kiosk_stack
    ui = stack.start()
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("status", "status"), ("use_card", "identify_card"))
    _at_consent(ui)
    labels = _labels("status", None)
    shown_shared = [labels[x] for x in _listed(ui, "fields")]
    assert shown_shared == ["national_number", "full_name"]
    ui.tap_through(("agree", "identify_pin"))
    _pin(ui, "status_cases")
    assert stack.api_rows("SELECT national_number FROM citizen_sessions") == [
        (MARIA.national_number,)]
    ui.wait_until(lambda: _consents(stack, "status"), "the consent at the API")
    (record,) = _consents(stack, "status")
    assert record["procedure_id"] is None and record["fields_shared"] == shown_shared


def test_no_i_dont_agree_reads_nothing_more_and_offers_paying_without_the_card(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    stack = kiosk_stack
    ui = stack.start()
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("pay", "procedures"), (PROPERTY_TAX, "procedure"), ("start", "pay_start"))
    start = _last_apdu(stack)
    ui.tap("pay_card")
    _at_consent(ui)
    assert IDENTITY in _files_read(stack, start) and ADDRESS not in _files_read(stack, start)
    refused_at = _last_apdu(stack)
    ui.tap("refuse")
    ui.wait_for_screen("identify_refused")
    shown = texts(ui)
    assert "No se leyó nada más de su tarjeta" in shown
    assert MARIA.given_names not in "\n".join(ui.call("all_texts"))  # her name is forgotten
    look_both(ui, "identify_refused", artifacts_dir, english="You did not agree")
    ui.tap("no_card_reference")  # a way that needs no card
    ui.wait_for_screen("pay_entry")
    ui.wait_until(lambda: _consents(stack, "pay"), "the refusal at the API")
    (record,) = _consents(stack, "pay")
    assert record["decision"] == "refused" and record["fields_shared"] == []
    assert stack.api_rows("SELECT COUNT(*) FROM citizen_sessions") == [(0,)]
    assert stack.card.apdu_log(refused_at) == []  # not one command after the refusal
    assert stack.card.status()["inserted"]  # though her card is still in the reader


def test_consent_and_refusal_screens_fit_a_landscape_kiosk(
        kiosk_stack: KioskStack, artifacts_dir: Path) -> None:
    ui = kiosk_stack.start(LANDSCAPE)
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.tap_through(("status", "status"), ("use_card", "identify_card"))
    _at_consent(ui)
    look(ui, "identify_consent-es-landscape", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: "Before we use your card" in texts(ui), "English")
    look(ui, "identify_consent-en-landscape", artifacts_dir)
    ui.tap("text_size")
    ui.tap("text_size")  # extra large: the answers stay in view, the lists scroll
    look(ui, "identify_consent-en-landscape-extra-large-text", artifacts_dir)
    ui.tap("refuse")
    ui.wait_for_screen("identify_refused")
    look(ui, "identify_refused-en-landscape-extra-large-text", artifacts_dir)
    ui.tap("text_size")  # back to normal
    look(ui, "identify_refused-en-landscape", artifacts_dir)
    ui.tap("language")
    ui.wait_until(lambda: "Usted no estuvo de acuerdo" in texts(ui), "Spanish")
    look(ui, "identify_refused-es-landscape", artifacts_dir)
