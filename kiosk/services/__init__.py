"""Use cases for the screens: plain Python, no Kivy, no widgets."""
