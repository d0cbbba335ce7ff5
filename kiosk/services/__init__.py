"""Use cases: plain async Python, no Kivy; one module per use case."""
