"""The simulator's ESC/POS parser: commands, code pages, symbols, and fuzzing."""

from __future__ import annotations

import itertools
import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.printer.driver import receipt_bytes
from drivers.printer.profile import profile_from_settings
from drivers.printer.simulator.barcodes import decode_code128
from drivers.printer.simulator.elements import Element, EscPosError, StatusRequest
from drivers.printer.simulator.job import Job, JobBuilder
from drivers.printer.simulator.parser import EscPosParser
from kiosk.settings import PrinterSection
from tests.fixtures.printer import build_typical_receipt


def parse(data: bytes, chunks: list[int] | None = None) -> tuple[list[Job], list[object]]:
    parser, builder, jobs, others = EscPosParser(), JobBuilder(), [], []
    pieces = [data] if chunks is None else _split(data, chunks)
    for piece in pieces:
        for element in parser.feed(piece):
            if isinstance(element, StatusRequest):
                others.append(element)
            elif (job := builder.add(element)) is not None:
                jobs.append(job)
    return jobs, others


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


def test_styles_code_page_and_justification_are_recorded():
    data = (b"\x1b@\x1bt\x13\x1ba\x01\x1bE\x01Se\xa4or\n\x1bE\x00\x1d!\x11A\n"
            b"\x1ba\x02\xa8Qu\xa0?\n\x1dV\x00")
    (job,), _ = parse(data)
    first, second, third = job.items
    assert (first.text, first.align, first.runs[0][1].bold) == ("Señor", "center", True)
    assert (second.runs[0][1].width, second.runs[0][1].height) == (2, 2)
    assert (third.text, third.align) == ("¿Quá?", "right")
    assert job.complete


def test_a_job_ends_at_the_cut_and_feeds_are_paper():
    jobs, _ = parse(b"uno\n\x1bd\x03\x1dVB\x00dos\n\x1dV\x01")
    assert [j.lines for j in jobs] == [["uno"], ["dos"]]
    assert jobs[0].items[1].dots == 90


def test_native_qr_is_stored_then_printed():
    url = b"https://x.example/v/1"
    data = (b"\x1d(k\x04\x001A2\x00\x1d(k\x03\x001C\x06\x1d(k\x03\x001E1"
            + b"\x1d(k" + bytes([len(url) + 3, 0]) + b"1P0" + url + b"\x1d(k\x03\x001Q0\x1dV\x00")
    (job,), _ = parse(data)
    assert job.qr_codes == [url.decode()]
    assert (job.items[0].module_dots, job.items[0].ec_level) == (6, "M")


def test_code128_code_sets_are_removed_from_the_content():
    assert decode_code128(b"{BPAG-1{{2") == "PAG-1{2"
    assert decode_code128(b"{C\x0c\x22{B-A") == "1234-A"
    with pytest.raises(ValueError):
        decode_code128(b"PAG-1")


def test_raster_image_keeps_its_dots():
    (job,), _ = parse(b"\x1dv0\x00\x01\x00\x02\x00\x80\x01\x1dV\x00")
    image = job.images[0].image
    assert image.size == (8, 2)
    assert image.getpixel((0, 0)) == 0 and image.getpixel((1, 0)) == 255
    assert image.getpixel((7, 1)) == 0


def test_status_query_in_the_middle_of_a_job_is_reported_at_once():
    parser = EscPosParser()
    elements = parser.feed(b"texto sin cortar\x10\x04\x04")
    assert StatusRequest(4) in elements


def test_unknown_command_is_a_typed_error_and_parsing_goes_on():
    parser = EscPosParser()
    with pytest.raises(EscPosError) as bad:
        parser.feed(b"antes\n\x1b\x7fhola\n")
    assert [type(e).__name__ for e in bad.value.elements] == ["TextRun", "LineFeed"]
    assert [type(e).__name__ for e in parser.feed(b"")] == ["TextRun", "LineFeed"]
    assert parser.pending == 0


def test_huge_raster_image_is_refused_not_buffered():
    with pytest.raises(EscPosError, match="too large"):
        EscPosParser().feed(b"\x1dv0\x00\xff\xff\xff\xff")


ELEMENT_TYPES = typing.get_args(Element)
# command prefixes mixed with random bytes reach deeper into the parser than noise alone
PREFIXES = [b"\x1b", b"\x1d", b"\x10\x04", b"\x1d(k", b"\x1d(L", b"\x1dv0", b"\x1dk",
            b"\x1dkI", b"\x1b*", b"\x1b!", b"\x1bt", b"\x1bD", b"\x1dV", b"\n",
            "Ñandú".encode("cp858")]
COMMAND_SOUP = st.lists(st.one_of(st.sampled_from(PREFIXES), st.binary(max_size=6)),
                        max_size=60).map(b"".join)


def _feed_all(data: bytes, chunk: int) -> list[object]:
    parser, out = EscPosParser(), []
    for i in range(0, len(data), chunk):
        piece = data[i : i + chunk]
        while True:
            try:
                out += parser.feed(piece)
                break
            except EscPosError as err:
                out += [*err.elements, ("error", str(err))]
                piece = b""
    return out


@pytest.mark.timeout(60)  # a hang fails the test instead of stalling CI
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=600), COMMAND_SOUP), st.integers(min_value=1, max_value=64))
def test_any_byte_stream_gives_elements_or_typed_errors(data, chunk):
    out = _feed_all(data, chunk)  # anything but EscPosError propagates and fails the test
    assert all(isinstance(item, ELEMENT_TYPES) or item[0] == "error" for item in out)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=20_000), max_size=12))
def test_parse_result_does_not_depend_on_how_the_stream_was_split(cuts):
    receipt_data = _TYPICAL
    whole, _ = parse(receipt_data)
    split, _ = parse(receipt_data, cuts)
    assert [j.text for j in split] == [j.text for j in whole]
    assert [j.qr_codes for j in split] == [j.qr_codes for j in whole]
    assert [[b.data for b in j.barcodes] for j in split] == [[b.data for b in j.barcodes]
                                                            for j in whole]


_TYPICAL = receipt_bytes(build_typical_receipt(), profile_from_settings(PrinterSection()))
