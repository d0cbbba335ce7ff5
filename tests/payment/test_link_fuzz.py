"""Hostile terminal answers: only the driver's typed errors escape, and nothing hangs.

The byte source replays a generated stream the way a serial port delivers it (in pieces;
when it runs dry a read waits out its timeout and returns nothing, like pyserial).
"""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.base import DriverError
from drivers.payment import transbank_messages as msg
from drivers.payment.base import TerminalProtocolError
from drivers.payment.framing import ACK, ETX, NAK, STX, encode_frame
from drivers.payment.link import Link


class ReplayPort:
    """Deliver ``chunks`` one read at a time; afterwards behave like a silent line."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = [c for c in chunks if c]
        self.timeout: float | None = None
        self.written: list[bytes] = []

    @property
    def in_waiting(self) -> int:
        return len(self._chunks[0]) if self._chunks else 0

    def read(self, size: int = 1) -> bytes:
        if not self._chunks:
            time.sleep(self.timeout or 0)
            return b""
        chunk = self._chunks.pop(0)
        self._chunks[:0] = [chunk[size:]] if chunk[size:] else []
        return chunk[:size]

    def write(self, data: bytes) -> int:
        self.written.append(data)
        return len(data)

    def reset_input_buffer(self) -> None:
        """Nothing is buffered before the exchange starts."""


answers = st.sampled_from([
    b"0210|00|597029414300|SIM|000001|123456|15000|00|0|4242|000001|DB|0|**42|DB|1|2||0|",
    b"0210|01|597029414300|SIM|000001||15000|||||||||||||",
    b"0260|11|||||||||||||||||||", b"1210|00|5970|SIM|111111|000001|", b"0510|00|5970|SIM||",
    b"0900|78|", b"0210|00|x", b"0210|0\xff|", b"02", b"",
])
text = st.binary(max_size=80).map(lambda b: bytes(x for x in b if x not in (STX, ETX)))
pieces = st.one_of(answers.map(encode_frame), text.map(encode_frame), st.binary(max_size=40),
                   st.just(bytes([ACK])), st.just(bytes([NAK])),
                   answers.map(lambda a: encode_frame(a)[:-1] + b"\x00"))


@settings(max_examples=300, deadline=None)
@given(stream=st.lists(pieces, max_size=6), cut=st.integers(0, 400))
def test_any_answer_stream_yields_a_checked_frame_or_a_typed_error(
        stream: list[bytes], cut: int) -> None:
    wire = b"".join(stream)
    port = ReplayPort([wire[:cut], wire[cut:]])
    link = Link(port, ack_timeout_s=0.01, max_attempts=3)
    started = time.monotonic()
    try:
        data = link.receive(time.monotonic() + 0.02)
    except DriverError:
        data = None
    assert time.monotonic() - started < 1.0
    if data is None:
        assert bytes([ACK]) not in port.written  # nothing unchecked was acknowledged
        return
    assert encode_frame(data) in wire and port.written[-1] == bytes([ACK])
    for parse in (msg.parse_sale, msg.parse_refund, msg.parse_close, msg.parse_intermediate):
        with contextlib.suppress(TerminalProtocolError):
            parse(data)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200))
def test_parsers_accept_or_refuse_with_a_protocol_error(data: bytes) -> None:
    for parse in (msg.parse_sale, msg.parse_refund, msg.parse_close):
        try:
            result = parse(data)
        except TerminalProtocolError:
            continue
        approved = getattr(result, "approved", False)
        assert not approved or getattr(result, "authorization_code", "x")


def test_approved_answer_without_authorization_code_is_refused() -> None:
    answer = b"0210|00|597029414300|SIM|000001||15000|00|0|4242|000001|DB|0|x|DB|1|2||0|"
    with pytest.raises(TerminalProtocolError, match="without authorization"):
        msg.parse_sale(answer)
