"""The `kiosk` command: version, plain configuration errors with exit code 2, doctor."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from drivers.payment.simulator import SerialDevicePort, TerminalSimulator
from kiosk import __version__
from rig.config import PROJECT_ROOT, write_config


def kiosk(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_version():
    result = kiosk("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kiosk {__version__}"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "not found"),
        ("[kiosk\n", "not valid TOML"),
        ('[display]\nwidth = "wide"\n', "display.width"),
        ("[display]\nbrightness = 3\n", "display.brightness: unknown key"),
        ('[api]\nurl = "http://tramites.example/v1"\n', "api.url: must start with https://"),
    ],
    ids=["missing-file", "toml-syntax", "wrong-type", "unknown-key", "http-in-kiosk-mode"],
)
@pytest.mark.parametrize("command", ["run", "doctor", "demo"])
def test_bad_config_exits_2_with_a_plain_message(tmp_path, command, content, expected):
    path = tmp_path / "site.toml"
    if content is not None:
        path.write_text(content)
    result = kiosk(command, "--config", str(path))
    assert result.returncode == 2
    assert "Configuration error:" in result.stderr and expected in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def _part(line: str) -> str:
    return line.split("] ", 1)[1].split(":", 1)[0]


def test_doctor_prints_a_line_per_part_and_fails_when_required_parts_are_missing(
        tmp_path, loopback_port, pcscd):
    path = write_config(tmp_path, {
        "api": {"url": f"http://127.0.0.1:{loopback_port}/v1", "connect_timeout_s": 1,
                "retries": 0},
        "devices": {"eid": {"reader": "No Such Reader"},
                    "printer": {"port": loopback_port, "timeout_s": 1},
                    "payment": {"port": str(tmp_path / "no-such-tty")}},
    })
    result = kiosk("doctor", "--config", str(path))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    assert [_part(line) for line in lines] == [
        "configuration", "data directory", "offline key", "offline database", "central API",
        "e-ID pcscd", "e-ID reader", "printer profile", "printer link", "payment terminal"]
    failing = {_part(line): line for line in lines if line.startswith("[FAIL]")}
    assert set(failing) == {"central API", "e-ID reader", "printer link", "payment terminal"}
    assert all("->" in line for line in failing.values())  # each says what to do
    assert "not found" in failing["payment terminal"]


def test_doctor_passes_when_every_part_is_there(tmp_path, pcscd, serial_pair, api_kiosk):
    from drivers.printer.simulator import PrinterSimulator
    from kiosk.enrolment import save_enrolment

    with PrinterSimulator() as printer:
        path = write_config(tmp_path, {
            "kiosk": {"id": api_kiosk.kiosk_id},
            "api": {"url": api_kiosk.base_url},
            "devices": {"printer": {"port": printer.listen()},
                        "payment": {"port": serial_pair.kiosk_end}},
        })
        save_enrolment(tmp_path / "data" / "enrolment.json",
                       {"kiosk_id": api_kiosk.kiosk_id, "token": api_kiosk.token})
        terminal = TerminalSimulator(SerialDevicePort(serial_pair.device_end)).start()
        result = kiosk("doctor", "--config", str(path))
        terminal.stop()
    assert result.returncode == 0, result.stdout
    lines = result.stdout.strip().splitlines()
    assert not [line for line in lines if line.startswith("[FAIL]")], result.stdout
    parts = {_part(line): line for line in lines}
    assert {"enrolment", "e-ID pcscd", "e-ID reader", "printer link"} <= set(parts)
    # Card or no card (none between citizens is normal): never a failure of the kiosk.
    assert parts["e-ID card"].startswith(("[warn] e-ID card: card absent",
                                          "[ok  ] e-ID card: card present"))


def test_doctor_says_when_the_kiosk_is_not_enrolled(tmp_path, api_server):
    path = write_config(tmp_path, {"api": {"url": api_server.base_url},
                                   "devices": {"eid": {"type": "none"},
                                               "printer": {"type": "none"},
                                               "payment": {"type": "none"}}})
    result = kiosk("doctor", "--config", str(path))
    assert result.returncode == 1
    assert "[FAIL] enrolment: this kiosk is not enrolled -> ask for a one-time code" in (
        result.stdout)


def test_enrol_command_saves_a_private_token_and_refuses_a_used_code(tmp_path, api_server):
    code = api_server.new_enrolment_code("kiosk-cli-enrol")
    path = write_config(tmp_path, {"kiosk": {"id": "kiosk-cli-enrol"},
                                   "api": {"url": api_server.base_url}})
    first = kiosk("enrol", "--config", str(path), code)
    assert first.returncode == 0, first.stderr
    saved = tmp_path / "data" / "enrolment.json"
    assert saved.stat().st_mode & 0o077 == 0
    again = kiosk("enrol", "--config", str(path), code)
    assert again.returncode == 1 and "Enrolment failed" in again.stderr
    assert "Traceback" not in again.stderr


def test_test_print_command_prints_on_the_printer(tmp_path):
    from drivers.printer.simulator import PrinterSimulator

    with PrinterSimulator() as printer:
        path = write_config(tmp_path, {"devices": {"printer": {"port": printer.listen()}}})
        result = kiosk("test-print", "--config", str(path))
        assert result.returncode == 0, result.stderr
        assert "Test receipt printed" in result.stdout
        jobs = printer.jobs
    assert len(jobs) == 1


def test_test_print_command_explains_a_missing_printer(tmp_path, loopback_port):
    path = write_config(tmp_path, {"devices": {"printer": {"port": loopback_port,
                                                           "timeout_s": 1}}})
    result = kiosk("test-print", "--config", str(path))
    assert result.returncode == 1
    assert "Test print failed" in result.stderr and "Traceback" not in result.stderr


def test_close_day_command_closes_the_batch_prints_the_report_and_says_it_matches(
        tmp_path, serial_pair, api_kiosk):
    from drivers.printer.simulator import PrinterSimulator
    from kiosk.enrolment import save_enrolment

    with PrinterSimulator() as printer:
        path = write_config(tmp_path, {
            "kiosk": {"id": api_kiosk.kiosk_id},
            "api": {"url": api_kiosk.base_url},
            "devices": {"eid": {"type": "none"}, "printer": {"port": printer.listen()},
                        "payment": {"port": serial_pair.kiosk_end}},
        })
        save_enrolment(tmp_path / "data" / "enrolment.json",
                       {"kiosk_id": api_kiosk.kiosk_id, "token": api_kiosk.token})
        terminal = TerminalSimulator(SerialDevicePort(serial_pair.device_end)).start()
        terminal.memory.foreign_sale(3_000)  # a sale the kiosk never made
        result = kiosk("close-day", "--config", str(path))
        terminal.stop()
        (report,) = printer.wait_for_jobs(1)
    assert result.returncode == 1, result.stderr  # a difference: the technician must look
    assert "Close 1: terminal 1 sales, journal 0" in result.stdout
    assert "ticket 900001" in result.stdout and "ticket 900001" in report.text
    assert terminal.memory.closes == 1 and "Cierre diario" in report.text
