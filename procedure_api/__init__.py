"""Reference central procedure API: the server the kiosk talks to (FastAPI + SQLite).

The kiosk never imports this package; `kiosk demo` and the tests start it as a process with
``python -m procedure_api serve``. See docs/ARCHITECTURE.md, "Central procedure API".
"""

VERSION = "1.0.0"
