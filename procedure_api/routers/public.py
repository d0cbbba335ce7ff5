"""Unauthenticated endpoints: health, and the page behind the receipt's QR code."""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from procedure_api import VERSION
from procedure_api.auth import State
from procedure_api.errors import language
from procedure_api.routers.cases import STATUS_LABELS
from procedure_api.schemas import Health

router = APIRouter()

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body><h1>{title}</h1><p>{text}</p></body></html>"""
TEXTS = {
    "payment": {"es": ("Pago registrado", "Pago de ${amount} registrado el {when}."),
                "en": ("Payment recorded", "Payment of ${amount} recorded on {when}.")},
    "case": {"es": ("Trámite {ref}", "Estado: {status}. Última actualización: {when}."),
             "en": ("Case {ref}", "Status: {status}. Last updated: {when}.")},
    "unknown": {"es": ("Referencia no encontrada",
                       "Aún no la hemos recibido. Si el recibo dice \"pendiente de "
                       "confirmación\", vuelva a consultar más tarde."),
                "en": ("Reference not found",
                       "We have not received it yet. If the receipt says \"pending "
                       "confirmation\", check again later.")},
}


@router.get("/v1/health", response_model=Health, tags=["public"])
def health() -> Health:
    """Say the server is up (no authentication, no database)."""
    return Health(status="ok", version=VERSION)


def _page(lang: str, kind: str, http_status: int = 200, **values: str) -> HTMLResponse:
    title, text = TEXTS[kind][lang]
    safe = {k: html.escape(v) for k, v in values.items()}
    body = PAGE.format(lang=lang, title=title.format(**safe), text=text.format(**safe))
    return HTMLResponse(body, status_code=http_status)


@router.get(
    "/verify",
    response_class=HTMLResponse,
    tags=["public"],
    responses={
        404: {"content": {"text/html": {"schema": {"type": "string"}}},
              "description": "Unknown reference (a page saying so)"},
        422: {"content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/ErrorResponse"}}}, "description": "Invalid input"},
    },
)
def verify(
    request: Request,
    state: State,
    ref: Annotated[str, Query(pattern=r"^[A-Za-z0-9._:-]{1,128}$")],
) -> HTMLResponse:
    """Show a receipt's status: payment id, case number, or the provisional key it printed."""
    lang = language(request)
    with state.db.transaction() as conn:
        payment = conn.execute(
            "SELECT amount_cents, recorded_at FROM payments"
            " WHERE payment_id = ? OR idempotency_key = ?", (ref, ref)).fetchone()
        case = conn.execute(
            "SELECT case_number, status, updated_at FROM cases"
            " WHERE case_number = ? OR idempotency_key = ?", (ref, ref)).fetchone()
    if payment is not None:
        amount = f"{payment['amount_cents'] // 100:,}"  # CLP: whole pesos
        amount = amount.replace(",", ".") if lang == "es" else amount
        return _page(lang, "payment", amount=amount, when=payment["recorded_at"][:16])
    if case is not None:
        label = STATUS_LABELS[case["status"]][lang]
        return _page(lang, "case", ref=case["case_number"], status=label,
                     when=case["updated_at"][:16])
    return _page(lang, "unknown", http_status=404)
