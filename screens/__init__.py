"""Kivy screens: one .kv and one thin .py per screen."""
