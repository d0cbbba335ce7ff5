"""Configuration is validated on load; every problem names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.settings import DEFAULT_CONFIG, ConfigError, load_settings
from rig.config import PROJECT_ROOT, write_config


def test_demo_and_example_configs_are_valid():
    for name in ("demo.toml", "site-example.toml"):
        settings = load_settings(PROJECT_ROOT / "config" / name)
        assert settings.kiosk.languages[0] == "es"


def test_default_config_alone_is_valid():
    assert load_settings(DEFAULT_CONFIG).kiosk.mode == "kiosk"


def test_site_file_overrides_only_its_keys(tmp_path):
    path = write_config(tmp_path, {"timeouts": {"inactivity_warning_s": 90}})
    settings = load_settings(path)
    assert settings.timeouts.inactivity_warning_s == 90
    assert settings.timeouts.inactivity_countdown_s == 30  # from default.toml


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "nope.toml")
    assert "nope.toml" in str(caught.value) and "not found" in str(caught.value)


def test_toml_syntax_error_is_named(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[kiosk]\nid = "unterminated\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "broken.toml" in str(caught.value) and "not valid TOML" in str(caught.value)


def test_wrong_type_names_the_key(tmp_path):
    path = write_config(tmp_path, {"devices": {"payment": {"baudrate": "fast"}}})
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.key == "devices.payment.baudrate"


def test_unknown_key_names_the_key(tmp_path):
    path = write_config(tmp_path, {"display": {"brightnes": 80}})
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.key == "display.brightnes"
    assert "unknown key" in caught.value.problem


def test_out_of_range_value_names_the_key(tmp_path):
    path = write_config(tmp_path, {"api": {"url": "ftp://x"}})
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.key == "api.url"


def test_secret_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_TEST_URL", "https://api.example.test/v1")
    path = write_config(tmp_path, {"api": {"url": "env:KIOSK_TEST_URL"}})
    assert load_settings(path).api.url == "https://api.example.test/v1"


def test_missing_environment_variable_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_TEST_MISSING", raising=False)
    path = write_config(tmp_path, {"api": {"url": "env:KIOSK_TEST_MISSING"}})
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.key == "api.url" and "KIOSK_TEST_MISSING" in caught.value.problem


def test_relative_data_dir_is_anchored_to_the_project(tmp_path):
    path = write_config(tmp_path, {"kiosk": {"data_dir": "var/x"}})
    assert load_settings(path).kiosk.data_dir == (PROJECT_ROOT / "var/x").resolve()


def test_not_utf8_file_is_named(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[kiosk]\nmunicipality = "Peñalolén"\n'.encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "latin1.toml" in str(caught.value)
    assert isinstance(caught.value.__cause__, Exception)


def test_config_error_without_key_reads_plainly():
    assert str(ConfigError(Path("/etc/k.toml"), "file not found")) == "/etc/k.toml: file not found"


def test_kiosk_mode_refuses_an_http_api_and_names_the_key(tmp_path):
    path = write_config(tmp_path, {"kiosk": {"mode": "kiosk"},
                                   "api": {"url": "http://tramites.example/v1"}})
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.key == "api.url" and "https://" in caught.value.problem


def test_development_mode_allows_http_but_not_a_pin_on_it(tmp_path):
    plain = write_config(tmp_path, {"api": {"url": "http://127.0.0.1:8765/v1"}})
    assert load_settings(plain).kiosk.mode == "development"
    pinned = write_config(tmp_path, {"api": {"url": "http://127.0.0.1:8765/v1",
                                             "pinned_sha256": ["ab" * 32]}}, name="pin.toml")
    with pytest.raises(ConfigError) as caught:
        load_settings(pinned)
    assert caught.value.key == "api.pinned_sha256"


def test_kiosk_mode_with_https_loads(tmp_path):
    path = write_config(tmp_path, {"kiosk": {"mode": "kiosk"},
                                   "api": {"url": "https://tramites.example/v1"}})
    assert load_settings(path).api.url.startswith("https://")


def test_the_demo_is_locked_down_and_kiosk_mode_cannot_be_unlocked(tmp_path):
    demo = load_settings(PROJECT_ROOT / "config" / "demo.toml").kiosk
    assert demo.mode == "development" and demo.locked()
    assert load_settings(DEFAULT_CONFIG).kiosk.locked()  # kiosk mode: locked by default
    unlocked = write_config(tmp_path, {"kiosk": {"lock_down": False}})
    assert not load_settings(unlocked).kiosk.locked()  # development, explicitly
    path = write_config(tmp_path, {"kiosk": {"mode": "kiosk", "lock_down": False},
                                   "api": {"url": "https://127.0.0.1:9/v1"}}, name="k.toml")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "lock_down" in str(caught.value)
