"""Command line: ``python -m procedure_api serve|enrolment-code|openapi``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

import uvicorn

from procedure_api.app import create_app
from procedure_api.config import ServerConfig, utc_now
from procedure_api.db import Database
from procedure_api.enrolment import issue_code
from procedure_api.seed import bill_lines, seed_demo, seed_synthetic_citizens


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints one line once its socket accepts connections."""

    async def startup(self, sockets: list | None = None) -> None:  # type: ignore[type-arg]
        await super().startup(sockets)
        if self.started:
            scheme = "https" if self.config.ssl_certfile else "http"
            print(f"procedure_api ready on {scheme}://{self.config.host}:{self.config.port}",
                  flush=True)


def _bound_code(value: str) -> tuple[str, str]:
    """Split ``KIOSK_ID:CODE`` (a code always belongs to one kiosk)."""
    kiosk_id, separator, code = value.partition(":")
    if not separator or not kiosk_id or not code:
        raise argparse.ArgumentTypeError(f"{value!r} is not KIOSK_ID:CODE")
    return kiosk_id, code


def _serve(args: argparse.Namespace, config: ServerConfig) -> int:
    args.db.parent.mkdir(parents=True, exist_ok=True)
    db = Database(args.db)
    if args.seed == "demo":
        seed_demo(db)
    if args.synthetic_citizens:
        seed_synthetic_citizens(db, args.synthetic_citizens)
    with db.transaction() as conn:
        for kiosk_id, code in args.enrolment_code or ():
            issue_code(conn, kiosk_id, utc_now(), config.enrolment_code_ttl_hours, code)
    app = create_app(config, db)
    # proxy_headers off: the lockout counts the TCP peer, which a client cannot forge the
    # way it can forge X-Forwarded-For.
    server = _AnnouncingServer(uvicorn.Config(
        app, host=args.host, port=args.port, log_level=args.log_level, access_log=False,
        ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile, proxy_headers=False,
        timeout_graceful_shutdown=3))
    server.run()
    db.close()
    return 0


def _serve_config(args: argparse.Namespace) -> ServerConfig:
    return ServerConfig(
        db_path=args.db,
        eid_ca_file=args.eid_ca,
        staff_token=os.environ.get("PROCEDURE_API_STAFF_TOKEN") or None,
        nonce_ttl_s=args.nonce_ttl,
        idempotency_retention_days=args.idempotency_days,
        payment_max_age_days=args.payment_max_age_days,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m procedure_api")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the reference server")
    serve.add_argument("--db", type=Path, required=True, help="SQLite file (created if absent)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--eid-ca", type=Path, help="PEM file of trusted e-ID CA certificates")
    serve.add_argument("--seed", choices=["demo", "none"], default="none",
                       help="demo: load the demo municipality if the database is empty")
    serve.add_argument("--synthetic-citizens", type=int, default=0, metavar="N",
                       help="add N invented citizens with debts (benchmarks)")
    serve.add_argument("--enrolment-code", action="append", metavar="KIOSK_ID:CODE",
                       type=_bound_code,
                       help="make sure this one-time code exists for this kiosk (repeatable)")
    serve.add_argument("--nonce-ttl", type=float, default=120.0, metavar="SECONDS")
    serve.add_argument("--idempotency-days", type=int, default=90, metavar="DAYS",
                       help="keep Idempotency-Keys this long (at least 30)")
    serve.add_argument("--payment-max-age-days", type=int, default=90, metavar="DAYS",
                       help="older payments are recorded for review, not settled"
                            " (at most --idempotency-days)")
    serve.add_argument("--ssl-certfile")
    serve.add_argument("--ssl-keyfile")
    serve.add_argument("--log-level", default="warning")
    code = sub.add_parser("enrolment-code", help="print a new one-time code for one kiosk")
    code.add_argument("--db", type=Path, required=True)
    code.add_argument("--kiosk-id", required=True, help="the only kiosk the code can enrol")
    code.add_argument("--ttl-hours", type=int, default=ServerConfig.enrolment_code_ttl_hours)
    bills = sub.add_parser("bills", help="print the barcode of every pending bill (demo)")
    bills.add_argument("--db", type=Path, required=True)
    openapi = sub.add_parser("openapi", help="print the OpenAPI document (docs/openapi.json)")
    openapi.add_argument("--output", type=Path)
    return parser


def openapi_document() -> dict[str, object]:
    """Generate the OpenAPI document from a throwaway in-memory app."""
    app = create_app(ServerConfig(db_path=Path(":memory:")))
    return app.openapi()


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.command == "serve":
        if args.idempotency_days < 30:
            print("--idempotency-days must be at least 30", file=sys.stderr)
            return 2
        try:
            config = _serve_config(args)
        except ValueError as err:
            print(f"invalid settings: {err}", file=sys.stderr)
            return 2
        return _serve(args, config)
    if args.command == "bills":
        for line in bill_lines(Database(args.db)):
            print(line)
        return 0
    if args.command == "enrolment-code":
        with Database(args.db).transaction() as conn:
            code, _expires = issue_code(conn, args.kiosk_id, utc_now(), args.ttl_hours)
        print(code)
        return 0
    text = json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
