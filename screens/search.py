"""Search: type on the on-screen keyboard, ranked results appear as you type."""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty, StringProperty

from common.text import N_
from kiosk.services.browse_catalog import pick
from screens.base import KioskScreen
from screens.keyboard import DELETE
from screens.widgets.controls import fill_list

MAX_QUERY = 40


class SearchScreen(KioskScreen):
    """A query field, the keyboard, and the best matches below the field."""

    help_text = N_("Write one or two words about what you need with the keyboard, for "
                   "example \"water\" or \"birth\". Touch a result to see it.")
    query = StringProperty("")
    result_count = NumericProperty(0)

    def on_kv_post(self, _base_widget: Any) -> None:
        self.ids.keyboard.on_key = self.type_key

    def load(self, **_params: Any) -> None:
        """Show results for the query typed so far (kept when coming back)."""
        self.refresh()

    def type_key(self, value: str) -> None:
        """Apply one key from the on-screen keyboard."""
        if value == DELETE:
            self.query = self.query[:-1]
        elif len(self.query) < MAX_QUERY:
            self.query += value
        self.scope.session.values["search"] = self.query
        self.refresh()

    def clear(self) -> None:
        """Empty the field."""
        self.query = ""
        self.scope.session.values.pop("search", None)
        self.refresh()

    def refresh(self) -> None:
        """Rank results for the current query and language."""
        language = self.app.language
        results = self.app.catalog.search(self.query, language) if self.query.strip() else []
        self.result_count = len(results)
        fill_list(self.ids.results,
                  [(p.id, pick(p.title, language), pick(p.description, language))
                   for p in results],
                  lambda item: self.app.go("procedure", procedure_id=item))

    def wipe(self) -> None:
        """Forget the query and its results."""
        self.query = ""
        self.result_count = 0
        self.ids.results.clear_widgets()
