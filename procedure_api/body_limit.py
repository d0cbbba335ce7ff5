"""Refuse request bodies over the configured size before they are read into memory.

A pure ASGI middleware on every route. A declared Content-Length over the limit is answered
at once, without calling the app or reading the body; a body without one (chunked) is
counted as the app reads it, and the first chunk over the limit raises a 413 that the error
handlers turn into the API's error shape. Either way the connection is closed after the
answer, so a sender cannot keep streaming into it. FastAPI's own ``max_body_size`` is not
used because it answers in plain text, outside the error shape the kiosk parses.
"""

from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from procedure_api.errors import error_response

log = logging.getLogger(__name__)
CLOSE = (b"connection", b"close")


class BodyTooLarge(HTTPException):
    """The body grew past the limit while it was being read."""

    def __init__(self) -> None:
        super().__init__(413, "request body too large")


class BodySizeLimit:
    """Answer 413 to any request whose body is, or grows, larger than ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            log.warning("refused a %d-byte body on %s", declared, scope["path"])
            response = error_response(Request(scope), 413, "payload_too_large")
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        received, too_large = 0, False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    log.warning("refused a body over %d bytes on %s", self.max_bytes,
                                scope["path"])
                    raise BodyTooLarge
            return message

        async def closing_send(message: Message) -> None:
            if too_large and message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), CLOSE]}
            await send(message)

        await self.app(scope, counted_receive, closing_send)


def _declared_length(scope: Scope) -> int | None:
    try:
        return int(Headers(scope=scope)["content-length"])
    except (KeyError, ValueError):
        return None
