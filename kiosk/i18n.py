"""gettext catalogs for the UI (Spanish first, English too).

Msgids are English. Catalogs are kept as ``kiosk/locale/<lang>/LC_MESSAGES/kiosk.po`` and
compiled in memory with Babel when loaded, so there is no compiled file to forget to
rebuild. Services and drivers mark user-facing texts with :func:`common.text.N_` and the
screens translate them at display time.
"""

from __future__ import annotations

import gettext
import io
import logging
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "kiosk"
LANGUAGE_NAMES = {"es": "Español", "en": "English"}

log = logging.getLogger(__name__)


class Catalog:
    """One language's translations; ``_`` translates a msgid."""

    def __init__(self, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self._translations = translations

    def _(self, message: str) -> str:
        """Translate ``message`` (an English msgid) into this catalog's language."""
        return self._translations.gettext(message)


def po_path(language: str) -> Path:
    """Where the catalog for ``language`` lives."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=8)
def load_catalog(language: str) -> Catalog:
    """Load and compile the catalog for ``language``; a broken one falls back to English."""
    path = po_path(language)
    try:
        with path.open("rb") as handle:
            po = read_po(handle, locale=language, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, po)
        buffer.seek(0)
        return Catalog(language, gettext.GNUTranslations(buffer))
    except (OSError, ValueError) as err:
        log.error("translation catalog %s unusable (%s); showing English texts", path, err)
        return Catalog(language, gettext.NullTranslations())
