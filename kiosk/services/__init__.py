"""Use cases for the screens: plain async Python, no Kivy; one module per use case."""
