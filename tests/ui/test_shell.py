"""The app shell: attract screen, language choice, start of a session, kiosk lock-down."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from rig.config import KIOSK_MODE, PROJECT_ROOT, write_config
from rig.harness import ESCAPE, F1, F4
from tests.ui.looks import ocr

MUNICIPALITY = "Municipalidad de Villa Esperanza"


def test_demo_command_writes_a_screenshot_of_the_spanish_attract_screen(
        tmp_path, artifacts_dir, loopback_port):
    config = write_config(tmp_path, {"demo": {"api_port": loopback_port}})
    shot = artifacts_dir / "attract-es-portrait.png"
    shot.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--no-simulators", "--config", str(config),
         "--screenshot", str(shot), "--exit-after", "2"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = ocr(shot, "es")
    assert "Villa Esperanza" in seen
    assert "Toque la pantalla" in seen


def test_choosing_english_by_touch_translates_the_attract_screen(start_ui, artifacts_dir):
    ui = start_ui()
    assert "Toque la pantalla para empezar" in ui.call("texts")
    ui.tap("lang_en")
    ui.wait_until(lambda: "Touch the screen to start" in ui.call("texts"), "English texts")
    # the other languages keep being invited beside the chosen one
    assert ui.call("widget", target="invitation_other")["text"] == "Toque la pantalla para empezar"
    assert ui.call("screen") == "attract"  # choosing a language does not start yet
    shot = artifacts_dir / "attract-en-portrait.png"
    ui.call("screenshot", path=str(shot))
    seen = ocr(shot, "en")
    assert "Villa Esperanza" in seen and "Touch the screen" in seen
    ui.tap("lang_es")
    ui.wait_until(lambda: "Toque la pantalla para empezar" in ui.call("texts"), "Spanish again")


def test_touching_the_attract_screen_starts_a_session_at_home(start_ui, artifacts_dir):
    ui = start_ui()
    municipality = ui.call("widget", target="municipality")
    ui.call("tap_xy", x=municipality["x"] + 5, y=municipality["y"] + 5)
    ui.wait_for_screen("home")
    texts = ui.call("texts")
    assert {"Pagar", "Solicitar un trámite", "Consultar un trámite"} <= {
        re.sub(r"\[[^]]*\]", "", t).split("\n")[0] for t in texts}
    ui.call("screenshot", path=str(artifacts_dir / "home-es-portrait.png"))
    ui.tap("back")
    ui.wait_for_screen("attract")


def test_landscape_attract_screen_keeps_everything_on_screen(start_ui, artifacts_dir):
    ui = start_ui({"display": {"width": 960, "height": 540}})
    for target in ("municipality", "start", "lang_es", "lang_en"):
        box = ui.call("widget", target=target)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 540, target
        assert box["x"] >= 0 and box["x"] + box["width"] <= 960, target
    ui.call("screenshot", path=str(artifacts_dir / "attract-es-landscape.png"))


def test_kiosk_mode_ignores_escape_alt_f4_close_and_f1(start_ui):
    ui = start_ui(KIOSK_MODE)
    ui.call("key", key=ESCAPE)
    ui.call("key", key=F4, modifiers=["alt"])
    assert ui.call("request_close") is False
    ui.call("key", key=F1)
    assert ui.call("settings_open") is False
    assert ui.call("running") is True
    assert not ui.exited(timeout=1)


def test_the_demo_settings_lock_the_window_like_the_kiosk_escape_close_and_f1_do_nothing(
        start_ui):
    ui = start_ui()  # config/demo.toml: development mode (an http:// API), yet locked down
    ui.tap("start")
    ui.wait_for_screen("home")
    ui.call("key", key=ESCAPE)
    ui.call("key", key=F1)
    assert ui.call("settings_open") is False
    assert ui.call("request_close") is False
    assert not ui.exited(timeout=1) and ui.call("running") is True
    assert ui.call("screen") == "home"  # the citizen's session goes on untouched


def test_development_mode_lets_escape_quit(start_ui):
    ui = start_ui({"kiosk": {"mode": "development", "lock_down": False}})
    ui.call("key", key=ESCAPE)
    assert ui.exited(timeout=10)


def test_demo_starts_the_simulated_parts_enrols_and_stops_them(tmp_path, artifacts_dir, pcscd):
    import socket

    from kiosk.simulated.net import free_port

    api_port, printer_port = free_port(), free_port()
    config = write_config(tmp_path, {"demo": {"api_port": api_port, "printer_port": printer_port,
                                              "vpcd_port": pcscd.vpcd_port},
                                     "api": {"url": f"http://127.0.0.1:{api_port}/v1"}})
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--config", str(config),
         "--screenshot", str(artifacts_dir / "demo-with-simulators.png"), "--exit-after", "2"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "data" / "enrolment.json").exists()
    logs = tmp_path / "data" / "demo"
    assert "procedure_api ready" in (logs / "procedure_api.log").read_text()
    assert "printer simulator ready" in (logs / "drivers.printer.simulator.log").read_text()
    assert "virtual-card ready" in (logs / "drivers.eid.virtual_card.log").read_text()
    assert (tmp_path / "data" / "pki" / "eid-ca.pem").exists()  # the API trusts this CA
    for port in (api_port, printer_port):  # every part was stopped with the kiosk
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, port


def test_kiosk_starts_on_a_corrupt_database_and_keeps_the_damaged_file(tmp_path, loopback_port):
    config = write_config(tmp_path, {"api": {"url": f"http://127.0.0.1:{loopback_port}/v1",
                                             "connect_timeout_s": 1, "retries": 0}})
    data = tmp_path / "data"
    data.mkdir()
    damaged = b"SQLite format 3\x00" + bytes(range(256)) * 64
    (data / "kiosk.db").write_bytes(damaged)
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--config", str(config), "--exit-after", "1"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=90,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    kept = list(data.glob("kiosk.db.corrupt-*"))
    assert [p.read_bytes() for p in kept if p.suffix not in ("-wal", "-shm")] == [damaged]
    assert (data / "kiosk.db").read_bytes()[:16] == b"SQLite format 3\x00"  # a fresh one
    assert "is damaged" in (tmp_path / "logs" / "kiosk.log").read_text()  # technician told
