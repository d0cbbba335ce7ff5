"""The URL in a receipt's QR code: the API's ``/verify`` page with the receipt's reference.

The API answers ``GET /verify?ref=<reference>`` (procedure_api/routers/public.py) for a
payment's Idempotency-Key or id, a submission's Idempotency-Key or a case number, so a
receipt printed offline still leads to its payment or case once the sync worker delivered
it. The site configures the page (``kiosk.verification_url``); the reference goes in the
query, where any character is safely encoded.
"""

from __future__ import annotations

from urllib.parse import urlencode


def verification_url(base_url: str, reference: str) -> str:
    """Build the QR's URL: the site's verification page asked for ``reference``."""
    return f"{base_url}?{urlencode({'ref': reference})}"
