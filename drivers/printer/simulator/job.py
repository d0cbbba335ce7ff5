"""Assemble parsed elements into print jobs: a job is everything up to a paper cut."""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.printer.simulator.elements import (
    Barcode,
    Cut,
    Element,
    LineFeed,
    PaperFeed,
    QrCode,
    RasterImage,
    Style,
    TextRun,
)


@dataclass
class PrintedLine:
    """One line of text as it came out, with its style runs and justification."""

    runs: list[tuple[str, Style]] = field(default_factory=list)
    align: str = "left"

    @property
    def text(self) -> str:
        """The line's characters without styling."""
        return "".join(text for text, _ in self.runs)


Item = PrintedLine | QrCode | Barcode | RasterImage | PaperFeed


@dataclass
class Job:
    """One receipt as the simulated printer received it."""

    number: int
    items: list[Item] = field(default_factory=list)
    complete: bool = False  # ended by a cut with paper in the printer
    interrupted: str = ""  # "paper_out", "cover_open", "disconnected" ...
    errors: list[str] = field(default_factory=list)
    bytes_received: int = 0

    @property
    def lines(self) -> list[str]:
        """The text lines printed, in order."""
        return [item.text for item in self.items if isinstance(item, PrintedLine)]

    @property
    def text(self) -> str:
        """All printed text, one line per line."""
        return "\n".join(self.lines)

    @property
    def qr_codes(self) -> list[str]:
        """Contents of the native QR codes (GS ( k), decoded as UTF-8."""
        return [i.data.decode("utf-8", "replace") for i in self.items if isinstance(i, QrCode)]

    @property
    def barcodes(self) -> list[Barcode]:
        """The native barcodes (GS k)."""
        return [item for item in self.items if isinstance(item, Barcode)]

    @property
    def images(self) -> list[RasterImage]:
        """The raster images (GS v 0, GS ( L, ESC *)."""
        return [item for item in self.items if isinstance(item, RasterImage)]

    @property
    def empty(self) -> bool:
        """True if nothing printable arrived."""
        return not self.items and not self.errors


class JobBuilder:
    """Collects elements into the current job; ``add`` returns the job a cut finished."""

    def __init__(self, first_number: int = 1) -> None:
        self._next = first_number
        self.current = self._new()
        self._line = PrintedLine()

    def _new(self) -> Job:
        job = Job(self._next)
        self._next += 1
        return job

    def add(self, element: Element) -> Job | None:
        """Record one element; a cut closes the job and returns it."""
        if isinstance(element, TextRun):
            if not self._line.runs:
                self._line.align = element.style.align
            self._line.runs.append((element.text, element.style))
        elif isinstance(element, LineFeed):
            if not self._line.runs:
                self._line.align = element.align
            self.current.items.append(self._line)
            self._line = PrintedLine()
        elif isinstance(element, Cut):
            return self.finish(complete=True)
        elif isinstance(element, QrCode | Barcode | RasterImage | PaperFeed):
            self._flush_line()
            self.current.items.append(element)
        return None

    def _flush_line(self) -> None:
        if self._line.runs:
            self.current.items.append(self._line)
            self._line = PrintedLine()

    def finish(self, complete: bool, interrupted: str = "") -> Job:
        """Close the current job (at a cut, or because the link or paper went away)."""
        self._flush_line()
        job = self.current
        job.complete = complete and not job.interrupted
        job.interrupted = job.interrupted or interrupted
        self.current = self._new()
        return job
