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
NOTICE = rgba("#ffd23f")            # offline banner and device notices (always with words)
NOTICE_TEXT = rgba("#0b0b0b")
FIELD = rgba("#ffffff")             # text fields and keyboard keys
FIELD_TEXT = rgba("#0b2545")
KEY = rgba("#dce6f2")
KEY_TEXT = rgba("#0b2545")
ERROR = rgba("#fde2e1")              # a message that something must be corrected ...
ERROR_TEXT = rgba("#7f1d1d")
ERROR_ICON = rgba("#991b1b")         # ... with its "!" icon (never colour alone)
ERROR_ICON_TEXT = rgba("#ffffff")
OVERLAY = rgba("#0b2545", 0.92)     # dims the screen behind Help and the inactivity warning

# Every text colour on the background it is drawn on (the contrast test checks each pair).
TEXT_PAIRS: dict[str, tuple[Rgba, Rgba]] = {
    "text": (TEXT, BACKGROUND),
    "muted text": (TEXT_MUTED, BACKGROUND),
    "text on a card": (TEXT, SURFACE),
    "muted text on a card": (TEXT_MUTED, SURFACE),
    "main button": (ACTION_TEXT, ACTION),
    "main button pressed": (ACTION_TEXT, SECONDARY),
    "secondary button": (SECONDARY_TEXT, SECONDARY),
    "secondary button pressed": (SECONDARY_TEXT, ACTION),
    "notice": (NOTICE_TEXT, NOTICE),
    "text field": (FIELD_TEXT, FIELD),
    "keyboard key": (KEY_TEXT, KEY),
    "keyboard key pressed": (ACTION_TEXT, ACTION),
    "error message": (ERROR_TEXT, ERROR),
    "error icon": (ERROR_ICON_TEXT, ERROR_ICON),
}

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
CHOICE_HEIGHT = 230                 # the home screen's three choices
LIST_ITEM_HEIGHT = 170              # a category or procedure in a list
KEY_HEIGHT = 104                    # on-screen keyboard keys
KEY_SPACING = 10
FIELD_HEIGHT = 130
MESSAGE_LINES = 4                   # room kept above a keypad for its message, in lines
TOP_BAR_MAX_TEXT = 1.5              # the controls grow with the text, up to extra large
MIN_TARGET_MM = 15.0                # every touch target, both sides
MIN_BODY_PX = 28                    # body text at 1080×1920
MIN_CONTRAST = 7.0

TEXT_SIZE_FACTORS = {"normal": 1.0, "large": 1.25, "extra_large": 1.5}
DESIGN_SHORT_SIDE = 1080


def window_scale(width: float, height: float) -> float:
    """Scale design pixels to a window of this size (portrait or landscape)."""
    return min(width, height) / DESIGN_SHORT_SIDE


def millimetres(pixels: float, dpi: float) -> float:
    """Physical length of ``pixels`` on a screen of ``dpi`` dots per inch."""
    return pixels / dpi * 25.4


def relative_luminance(colour: Rgba) -> float:
    """WCAG 2 relative luminance of an opaque colour."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: Rgba, second: Rgba) -> float:
    """WCAG 2 contrast ratio between two opaque colours (1..21)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
