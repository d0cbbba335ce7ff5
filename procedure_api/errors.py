"""The one error shape, its messages in Spanish and English, and the exception handlers.

Every 4xx/5xx body is ``{"error": {"code": "...", "message": "..."}}``; the message is in the
language of ``Accept-Language`` (es or en, Spanish by default). Validation errors and unknown
routes use the same shape, so a client never has to parse FastAPI's own formats.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

MESSAGES: dict[str, dict[str, str]] = {
    "unauthorized": {
        "en": "This kiosk is not enrolled or its credentials were revoked.",
        "es": "Este quiosco no está registrado o sus credenciales fueron revocadas.",
    },
    "staff_unauthorized": {
        "en": "Staff credentials are missing or wrong.",
        "es": "Faltan las credenciales del personal o no son correctas.",
    },
    "invalid_enrolment_code": {
        "en": "The enrolment code is wrong, expired, already used or issued for another kiosk.",
        "es": "El código de registro no es correcto, venció, ya fue usado o es de otro quiosco.",
    },
    "too_many_enrolment_attempts": {
        "en": "Too many wrong enrolment codes from this address; try again later.",
        "es": "Demasiados códigos de registro erróneos desde esta dirección; inténtelo más tarde.",
    },
    "too_many_receipt_attempts": {
        "en": "Too many wrong receipt references from this kiosk; try again later.",
        "es": "Demasiadas referencias de comprobante erróneas desde este quiosco; inténtelo más "
              "tarde.",
    },
    "receipt_not_found": {
        "en": "No receipt matches this reference and check.",
        "es": "Ningún comprobante coincide con esta referencia y comprobación.",
    },
    "payload_too_large": {
        "en": "The request is too large.",
        "es": "La solicitud es demasiado grande.",
    },
    "invalid_request": {
        "en": "The request is not valid: {detail}",
        "es": "La solicitud no es válida: {detail}",
    },
    "not_found": {"en": "Not found.", "es": "No encontrado."},
    "method_not_allowed": {"en": "Method not allowed.", "es": "Método no permitido."},
    "lookup_key_required": {
        "en": "Give exactly one of: national number, cadastral key, water account or vehicle"
              " plate.",
        "es": "Indique solo uno de: número nacional, clave catastral, cuenta de agua o"
              " patente del vehículo.",
    },
    "bill_not_found": {
        "en": "There is no bill with this reference number.",
        "es": "No existe una boleta con este número de referencia.",
    },
    "invalid_barcode": {
        "en": "The bill's barcode could not be read: {detail}",
        "es": "No se pudo leer el código de barras de la boleta: {detail}",
    },
    "idempotency_conflict": {
        "en": "This Idempotency-Key was already used for a different request.",
        "es": "Esta clave de idempotencia ya se usó para otra solicitud.",
    },
    "unknown_procedure": {
        "en": "This procedure does not exist.",
        "es": "Este trámite no existe.",
    },
    "citizen_session_required": {
        "en": "This procedure needs the citizen to identify with the e-ID card.",
        "es": "Este trámite requiere identificarse con la cédula electrónica.",
    },
    "citizen_session_invalid": {
        "en": "The citizen's identification has expired; please identify again.",
        "es": "La identificación del ciudadano expiró; identifíquese de nuevo.",
    },
    "case_not_found": {
        "en": "There is no case with this number.",
        "es": "No existe un expediente con este número.",
    },
    "assistance_request_not_found": {
        "en": "There is no assistance request with this number.",
        "es": "No existe una solicitud de asistencia con este número.",
    },
    "eid_not_configured": {
        "en": "e-ID authentication is not available on this server.",
        "es": "La autenticación con cédula electrónica no está disponible.",
    },
    "eid_nonce_unknown": {
        "en": "The e-ID challenge is unknown; start again.",
        "es": "El desafío de la cédula es desconocido; comience de nuevo.",
    },
    "eid_nonce_used": {
        "en": "The e-ID challenge was already used; start again.",
        "es": "El desafío de la cédula ya fue usado; comience de nuevo.",
    },
    "eid_nonce_expired": {
        "en": "The e-ID challenge expired; start again.",
        "es": "El desafío de la cédula expiró; comience de nuevo.",
    },
    "eid_certificate_invalid": {
        "en": "The card's certificate could not be read.",
        "es": "No se pudo leer el certificado de la cédula.",
    },
    "eid_certificate_untrusted": {
        "en": "The card was not issued by a trusted authority.",
        "es": "La cédula no fue emitida por una autoridad de confianza.",
    },
    "eid_certificate_expired": {
        "en": "The card's certificate is expired or not yet valid.",
        "es": "El certificado de la cédula está vencido o aún no es válido.",
    },
    "eid_signature_invalid": {
        "en": "The card's signature is not valid.",
        "es": "La firma de la cédula no es válida.",
    },
    "internal_error": {
        "en": "The server had a problem; please try again later.",
        "es": "El servidor tuvo un problema; inténtelo más tarde.",
    },
}


class ApiProblem(Exception):
    """A request failed in a way the client can understand (mapped to the error shape)."""

    def __init__(
        self, status: int, code: str, detail: str = "", headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(code)
        self.status, self.code, self.detail = status, code, detail
        self.headers = dict(headers or {})


def language(request: Request) -> str:
    """Pick es or en from Accept-Language (first supported entry wins, Spanish by default)."""
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag[:2] in ("es", "en"):
            return tag[:2]
    return "es"


def error_body(code: str, lang: str, detail: str = "") -> dict[str, dict[str, str]]:
    """Build the error shape with the message in ``lang``."""
    template = MESSAGES.get(code, MESSAGES["internal_error"])[lang]
    return {"error": {"code": code, "message": template.format(detail=detail)}}


def error_response(
    request: Request, status: int, code: str, detail: str = "",
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Answer with the error shape in the caller's language."""
    return JSONResponse(error_body(code, language(request), detail), status_code=status,
                        headers=headers)


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    return "; ".join(parts)


def install_handlers(app: FastAPI) -> None:
    """Route every error (ours, validation, unknown path, crash) into the error shape."""

    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return error_response(request, exc.status, exc.code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(request, 422, "invalid_request", _describe_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed",
                413: "payload_too_large"}.get(exc.status_code)
        if code is None:
            code = "invalid_request" if exc.status_code < 500 else "internal_error"
        return error_response(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error")
