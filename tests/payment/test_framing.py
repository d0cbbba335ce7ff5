"""The frame parser: exact framing, NAK-able bad frames, and fuzzing with hostile streams."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.payment.framing import (
    ACK,
    ETX,
    NAK,
    STX,
    BadFrame,
    Control,
    Frame,
    FrameParser,
    encode_frame,
    lrc,
)

payloads = st.binary(max_size=300).map(lambda b: bytes(x for x in b if x not in (STX, ETX)))


def test_encoded_frame_has_lrc_over_data_and_etx() -> None:
    frame = encode_frame(b"0100")
    assert frame[0] == STX and frame[-2] == ETX
    assert frame[-1] == lrc(b"0100" + bytes([ETX])) == 0x30 ^ 0x31 ^ 0x30 ^ 0x30 ^ ETX


def test_frame_with_wrong_lrc_is_reported_bad_not_delivered() -> None:
    frame = bytearray(encode_frame(b"0210|00|"))
    frame[-1] ^= 0x01
    assert FrameParser().feed(bytes(frame)) == [BadFrame("check byte (LRC) does not match")]


def test_check_byte_equal_to_etx_or_stx_is_read_as_check_byte() -> None:
    parser = FrameParser()
    for data in (b"\x01", b"\x00"):  # LRCs 0x02 (STX) and 0x03 (ETX)
        assert parser.feed(encode_frame(data)) == [Frame(data)]


def test_new_stx_inside_a_frame_reports_the_cut_frame_and_keeps_the_new_one() -> None:
    events = FrameParser().feed(b"\x020210|0" + encode_frame(b"0210|00|"))
    assert events == [BadFrame("frame interrupted by a new STX"), Frame(b"0210|00|")]


def test_overlong_frame_is_bad_and_parser_resynchronises() -> None:
    parser = FrameParser(max_length=10)
    events = parser.feed(bytes([STX]) + b"x" * 20 + encode_frame(b"ok"))
    assert events == [BadFrame("frame longer than 10 bytes"), Frame(b"ok")]


def test_check_byte_of_an_overlong_frame_is_not_taken_for_an_ack() -> None:
    parser = FrameParser(max_length=4)
    events = parser.feed(bytes([STX]) + b"abcdef" + bytes([ETX, ACK]))
    assert events == [BadFrame("frame longer than 4 bytes")]
    assert parser.feed(bytes([ACK])) == [Control(ACK)]


def test_ack_nak_and_noise_between_frames() -> None:
    parser = FrameParser()
    assert parser.feed(bytes([ACK, 0x41, NAK])) == [Control(ACK), Control(NAK)]
    assert parser.noise_bytes == 1


@settings(max_examples=300, deadline=None)
@given(stream=st.binary(max_size=2000), cuts=st.lists(st.integers(0, 2000), max_size=20))
def test_random_streams_give_the_same_events_however_they_are_chunked(
        stream: bytes, cuts: list[int]) -> None:
    whole = FrameParser().feed(stream)
    parser = FrameParser()
    chunked = []
    bounds = [0, *sorted(c % (len(stream) + 1) for c in cuts), len(stream)]
    for start, end in itertools.pairwise(bounds):
        chunked.extend(parser.feed(stream[start:end]))
    assert chunked == whole
    assert all(isinstance(e, Frame | BadFrame | Control) for e in whole)


@settings(max_examples=300, deadline=None)
@given(frames=st.lists(payloads, min_size=1, max_size=8), noise=st.binary(max_size=50),
       cut=st.integers(min_value=0))
def test_intact_frames_survive_noise_and_a_truncated_frame_before_them(
        frames: list[bytes], noise: bytes, cut: int) -> None:
    noise = bytes(b for b in noise if b != STX)  # noise outside frames only
    truncated = encode_frame(b"0210|00|partial")[: cut % 10]
    wire = noise + truncated + b"".join(encode_frame(f) for f in frames)
    delivered = [e.data for e in FrameParser().feed(wire) if isinstance(e, Frame)]
    # a truncated frame swallows bytes until the next STX, which restarts cleanly
    assert delivered[-len(frames):] == frames


@settings(max_examples=200, deadline=None)
@given(data=payloads, position=st.integers(min_value=1), flip=st.integers(1, 255))
def test_any_single_corrupted_byte_is_never_delivered_as_a_good_frame(
        data: bytes, position: int, flip: int) -> None:
    frame = bytearray(encode_frame(data))
    index = 1 + position % (len(frame) - 1)
    frame[index] ^= flip
    delivered = [e for e in FrameParser().feed(bytes(frame)) if isinstance(e, Frame)]
    assert Frame(data) not in delivered or frame == encode_frame(data)
