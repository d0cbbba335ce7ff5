"""Every colour and size of the UI, in one place.

Colours are chosen for a contrast ratio of at least 7:1 between text and its background
(WCAG AAA). Sizes are design pixels for a 1080×1920 portrait screen; the shell scales them
with the window and the citizen's text-size choice.
"""

from __future__ import annotations

Rgba = tuple[float, float, float, float]


def rgba(hex_colour: str, alpha: float = 1.0) -> Rgba:
    """Turn ``#rrggbb`` into Kivy's 0..1 RGBA tuple."""
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (red, green, blue, alpha)


BACKGROUND = rgba("#0b2545")        # deep navy
SURFACE = rgba("#13315c")           # cards on the background
TEXT = rgba("#ffffff")
TEXT_MUTED = rgba("#dce6f2")
ACTION = rgba("#ffd23f")            # main action buttons (yellow)
ACTION_TEXT = rgba("#0b0b0b")
SECONDARY = rgba("#ffffff")         # secondary buttons (white)
SECONDARY_TEXT = rgba("#0b2545")
SELECTED_OUTLINE = rgba("#ffd23f")

# Text sizes (px at 1080×1920); body text never below 28 px.
TITLE = 64
HEADING = 48
BODY = 34
SMALL = 28
BUTTON = 40

# Geometry (px at 1080×1920).
PADDING = 48
SPACING = 32
BUTTON_HEIGHT = 150
TOP_BAR_HEIGHT = 120

TEXT_SIZE_FACTORS = {"normal": 1.0, "large": 1.25, "extra_large": 1.5}
DESIGN_SHORT_SIDE = 1080


def window_scale(width: float, height: float) -> float:
    """Scale design pixels to a window of this size (portrait or landscape)."""
    return min(width, height) / DESIGN_SHORT_SIDE
