"""The `kiosk` command: version, plain configuration errors with exit code 2, doctor."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from drivers.payment.simulator import SerialDevicePort, TerminalSimulator
from kiosk import __version__
from tests.rig.config import PROJECT_ROOT, write_config


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
    ],
    ids=["missing-file", "toml-syntax", "wrong-type", "unknown-key"],
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


def test_doctor_prints_a_line_per_part_and_fails_when_required_parts_are_missing(
        tmp_path, loopback_port):
    path = write_config(tmp_path, {
        "api": {"url": f"http://127.0.0.1:{loopback_port}/v1", "connect_timeout_s": 1},
        "devices": {"printer": {"port": loopback_port},
                    "payment": {"port": str(tmp_path / "no-such-tty")}},
    })
    result = kiosk("doctor", "--config", str(path))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    parts = [line.split("] ", 1)[1].split(":", 1)[0] for line in lines]
    assert parts == ["configuration", "data directory", "central API", "e-ID reader",
                     "printer", "payment terminal"]
    failing = [line for line in lines if line.startswith("[FAIL]")]
    assert any("central API" in line and "->" in line for line in failing)
    assert any("payment terminal" in line and "not found" in line for line in failing)


def test_doctor_passes_when_every_part_is_there(tmp_path, pcscd, serial_pair):
    import http.server
    import socketserver
    import threading

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/v1/health" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    with socketserver.TCPServer(("127.0.0.1", 0), Health) as api, \
            socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as prn:
        for server in (api, prn):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        path = write_config(tmp_path, {
            "api": {"url": f"http://127.0.0.1:{api.server_address[1]}/v1"},
            "devices": {"printer": {"port": prn.server_address[1]},
                        "payment": {"port": serial_pair.kiosk_end}},
        })
        terminal = TerminalSimulator(SerialDevicePort(serial_pair.device_end)).start()
        result = kiosk("doctor", "--config", str(path))
        terminal.stop()
        for server in (api, prn):
            server.shutdown()
    assert result.returncode == 0, result.stdout
    assert all(line.startswith("[ok  ]") for line in result.stdout.strip().splitlines())
