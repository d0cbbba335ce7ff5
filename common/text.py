"""Mark user-facing texts for translation where they are defined, translate where shown.

Drivers, services and the offline cache return gettext msgids (English); the screens
translate them at display time through :mod:`kiosk.i18n` in the citizen's language.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for translation without translating it now."""
    return message
