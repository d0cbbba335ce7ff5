"""The ``kiosk`` command: run, demo, doctor, enrol, test-print, close-day.

Configuration problems print one plain line naming file, key and problem and exit with
code 2, never a traceback.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import NoReturn

import click

from kiosk import __version__
from kiosk.settings import PROJECT_ROOT, ConfigError, Settings, load_settings

SITE_CONFIG = Path("/etc/municipal-kiosk/site.toml")
DEMO_CONFIG = PROJECT_ROOT / "config" / "demo.toml"

config_option = click.option(
    "--config", "config_path", type=click.Path(path_type=Path), envvar="KIOSK_CONFIG",
    help="Site configuration file (layered over config/default.toml).",
)
screenshot_option = click.option(
    "--screenshot", type=click.Path(path_type=Path), default=None,
    help="Save a PNG of the window just before exiting (needs --exit-after).",
)
exit_after_option = click.option(
    "--exit-after", type=click.FloatRange(min=0), default=None,
    help="Quit after this many seconds (for checks and benchmarks).",
)


def _fail_config(err: ConfigError) -> NoReturn:
    click.echo(f"Configuration error: {err}", err=True)
    sys.exit(2)


def _load(path: Path | None, fallback: Path) -> Settings:
    try:
        return load_settings(path or fallback)
    except ConfigError as err:
        _fail_config(err)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kiosk", message="%(prog)s %(version)s")
def cli() -> None:
    """Municipal self-service kiosk."""


@cli.command()
@config_option
@screenshot_option
@exit_after_option
def run(config_path: Path | None, screenshot: Path | None, exit_after: float | None) -> None:
    """Run the kiosk on the hardware named in the configuration."""
    from kiosk.app import prepare, run_kiosk

    settings = _load(config_path, SITE_CONFIG)
    prepare(settings)
    sys.exit(run_kiosk(settings, screenshot=screenshot, exit_after=exit_after))


@cli.command()
@config_option
@screenshot_option
@exit_after_option
@click.option("--simulators/--no-simulators", default=True,
              help="Start the hardware simulators and the reference API.")
def demo(config_path: Path | None, screenshot: Path | None, exit_after: float | None,
         simulators: bool) -> None:
    """Run the kiosk on simulated hardware and a local reference API."""
    from kiosk.app import prepare, run_kiosk
    from kiosk.demo import DemoStack
    from kiosk.simulated.child import StackError

    settings = _load(config_path, DEMO_CONFIG)
    prepare(settings)
    try:
        with DemoStack(settings, enabled=simulators and settings.demo.start_simulators) as stack:
            code = run_kiosk(stack.settings, screenshot=screenshot, exit_after=exit_after,
                             demo_panel=stack.demo_panel())
    except StackError as err:
        click.echo(f"The demo could not start: {err}", err=True)
        sys.exit(1)
    sys.exit(code)


@cli.command()
@config_option
def doctor(config_path: Path | None) -> None:
    """Check every configured part and say what to do about failures."""
    from kiosk.doctor import diagnose_all, exit_code

    settings = _load(config_path, SITE_CONFIG)
    click.echo(f"[ok  ] configuration: {config_path or SITE_CONFIG}")
    results = diagnose_all(settings)
    for result in results:
        click.echo(result.line())
    sys.exit(exit_code(results))


@cli.command()
@config_option
@click.argument("code")
def enrol(config_path: Path | None, code: str) -> None:
    """Enrol this kiosk with the central API using a technician's one-time CODE."""
    from kiosk.api import ApiClient, ApiError
    from kiosk.enrolment import enrol as enrol_kiosk

    settings = _load(config_path, SITE_CONFIG)
    client = ApiClient.from_settings(settings.api, token=None)
    try:
        enrolled = enrol_kiosk(client, code, settings.kiosk.id,
                               settings.data_path(settings.api.enrolment_file))
    except ApiError as err:
        click.echo(f"Enrolment failed: {err}", err=True)
        sys.exit(1)
    finally:
        client.close()
    click.echo(f"Enrolled as {enrolled['kiosk_id']}.")


@cli.command("test-print")
@config_option
def test_print(config_path: Path | None) -> None:
    """Print the technician's test receipt on the configured printer."""
    from drivers.printer.profile import ProfileError
    from kiosk.receipts.technician import print_test_receipt

    settings = _load(config_path, SITE_CONFIG)
    try:
        attempt = print_test_receipt(settings.devices.printer)
    except ProfileError as err:
        click.echo(f"Test print failed: {err}", err=True)
        sys.exit(1)
    if not attempt.printed:
        click.echo(f"Test print failed: {attempt.problem}", err=True)
        sys.exit(1)
    click.echo(f"Test receipt printed (job {attempt.job_id}).")


@cli.command("close-day")
@config_option
def close_day_command(config_path: Path | None) -> None:
    """Close the card terminal's batch now, reconcile it and print the report.

    For a kiosk that is not running (the running kiosk closes by itself at
    ``daily_close.at``); it holds the data folder like the kiosk does.
    """
    from drivers.base import DriverError
    from kiosk.runtime import build_runtime
    from kiosk.services.daily_close import close_and_report
    from offline_cache.errors import KeyFileError, StoreUnavailable

    settings = _load(config_path, SITE_CONFIG)
    try:
        runtime = build_runtime(settings)
    except (StoreUnavailable, KeyFileError) as err:
        click.echo(f"Close failed: {err}", err=True)
        sys.exit(1)
    try:
        terminal = runtime.devices.terminal
        if terminal is None:
            click.echo("Close failed: no payment terminal is configured", err=True)
            sys.exit(1)
        runtime.sync.start()
        record = asyncio.run(close_and_report(
            runtime.store.journal, runtime.store.closes, terminal, sync=runtime.sync,
            printer=runtime.devices.printer, kiosk=settings.kiosk))
    except DriverError as err:
        click.echo(f"Close failed: {err}", err=True)
        sys.exit(1)
    finally:
        runtime.close()
    click.echo(f"Close {record.id}: terminal {record.terminal_count} sales, journal "
               f"{record.kiosk_count}; town hall: {record.api_status}; "
               f"{len(record.differences)} differences")
    for difference in record.differences:
        click.echo(f"  - {difference}")
    sys.exit(1 if record.differences else 0)


def main() -> None:
    """Console-script entry point."""
    cli()
