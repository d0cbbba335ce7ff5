"""Browse: categories, then the procedures of one category (or everything payable)."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from common.text import N_
from kiosk.services.browse_catalog import pick
from screens.base import KioskScreen
from screens.widgets.controls import fill_list


class CategoriesScreen(KioskScreen):
    """Every category of the catalog as a big button."""

    help_text = N_("Choose the subject of what you need. On the next screen you will see "
                   "the procedures of that subject.")

    def load(self, **_params: Any) -> None:
        """List the categories in the current language."""
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the list (after a language change too)."""
        language = self.app.language
        fill_list(self.ids.entries,
                  [(c.id, pick(c.title, language), pick(c.description, language))
                   for c in self.app.catalog.categories()],
                  lambda item: self.app.go("procedures", category_id=item))


class ProceduresScreen(KioskScreen):
    """The procedures of one category, or every procedure that is a payment."""

    help_text = N_("Choose the procedure you need. The next screen explains what it is, "
                   "what you need and what it costs, before you start.")
    heading = StringProperty("")
    category_id = StringProperty("")
    payable = False

    def load(self, *, category_id: str = "", payable: bool = False, **_params: Any) -> None:
        """Show the procedures for this category or for payments."""
        self.category_id, self.payable = category_id, payable
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the list (after a language change too)."""
        language, catalog = self.app.language, self.app.catalog
        if not (self.payable or self.category_id):
            return  # nothing opened yet (or wiped)
        if self.payable:
            procedures = [p for p in catalog.procedures() if p.fee_kind == "lookup"]
            self.heading = self.app.i18n._("What would you like to pay?")
        else:
            procedures = catalog.procedures(self.category_id or None)
            titles = {c.id: pick(c.title, language) for c in catalog.categories()}
            self.heading = titles.get(self.category_id, "")
        fill_list(self.ids.entries,
                  [(p.id, pick(p.title, language), pick(p.description, language))
                   for p in procedures],
                  lambda item: self.app.go("procedure", procedure_id=item))

    def wipe(self) -> None:
        """Forget which list the citizen opened."""
        self.ids.entries.clear_widgets()
        self.heading, self.category_id, self.payable = "", "", False
