"""Home: three big choices and a search field, readable in three seconds."""

from __future__ import annotations

from common.text import N_
from screens.base import KioskScreen


class HomeScreen(KioskScreen):
    """First screen of a citizen session."""

    help_text = N_("Choose what you came to do: pay, ask for a document or permit, or see "
                   "how a case you started is going. You can also search by writing a word.")
