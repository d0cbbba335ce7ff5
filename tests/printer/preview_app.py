"""Run in its own process (one Kivy window per process): show the typical receipt in the
preview widget, export it to PNG and print what the widget tree holds as JSON.
"""

from __future__ import annotations

import json
import sys

from kivy.app import App
from kivy.clock import Clock
from kivy.uix.floatlayout import FloatLayout

from screens.widgets.receipt_preview import ReceiptLineLabel, ReceiptPreview, ReceiptSymbol
from tests.fixtures.printer import build_typical_receipt


class PreviewApp(App):
    def build(self) -> FloatLayout:
        self.preview = ReceiptPreview(size_hint=(None, None), width=540)
        self.preview.show(build_typical_receipt(), 42)
        root = FloatLayout()
        root.add_widget(self.preview)
        self.last_height = -1.0
        Clock.schedule_once(self.export, 0.3)
        return root

    def export(self, _dt: float) -> None:
        if self.preview.height != self.last_height:  # labels size themselves over frames
            self.last_height = self.preview.height
            Clock.schedule_once(self.export, 0.3)
            return
        self.preview.export_to_png(sys.argv[1])
        labels = [w.text for w in self.preview.walk() if isinstance(w, ReceiptLineLabel)]
        symbols = [w for w in self.preview.walk() if isinstance(w, ReceiptSymbol)]
        print(json.dumps({"labels": labels, "symbols": len(symbols),
                          "height": self.preview.height}), flush=True)
        self.stop()


if __name__ == "__main__":
    PreviewApp().run()
