"""Municipal self-service kiosk: app core and composition."""

__version__ = "0.1.0"
