"""config.yaml as one typed object (store/config.py): what fits is read, what does not is named.

Each message names the file, the key and what is expected; a setting that decides where cases
go or under which name stops secondview, one that only changes the look is a warning.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from secondview.store.config import SETTINGS, Config, ConfigError
from secondview.store.paths import Paths

README = Path(__file__).parents[2] / "README.md"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_is_no_settings(tmp_path: Path) -> None:
    config = Config.load(tmp_path / "config.yaml")
    assert config == Config()
    assert config.file is None and config.where == "config.yaml" and not config.keys


def test_an_empty_file_is_no_settings(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing yet\n")
    assert Config.load(path) == Config(file=path)


def test_every_setting_is_read_into_its_type(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "cases_dir: ~/Sync/secondview-cases\n"
        "device_name: '  kitchen laptop '\n"
        "theme: secondview-light\n"
        "keys:\n"
        "  home.new: ' ctrl+n'\n"
        "  app.help: f2\n"
        "export_dir: ~/Documents\n"
    ))
    config = Config.load(path)
    assert config.cases_dir == Path.home() / "Sync" / "secondview-cases"
    assert config.device_name == "kitchen laptop"
    assert config.theme == "secondview-light"
    assert dict(config.keys) == {"home.new": "ctrl+n", "app.help": "f2"}
    assert config.export_dir == Path.home() / "Documents"
    assert config.file == path and config.where == str(path)
    assert config.warnings == ()


def test_empty_values_are_not_set(tmp_path: Path) -> None:
    path = write(tmp_path, "cases_dir:\ndevice_name: '  '\ntheme: ''\nkeys:\nexport_dir:\n")
    assert Config.load(path) == Config(file=path)


def test_the_config_cannot_be_changed(tmp_path: Path) -> None:
    config = Config.load(write(tmp_path, "keys: {home.new: ctrl+n}\n"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.theme = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.keys["home.new"] = "x"  # type: ignore[index]


def test_not_yaml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "theme: a\ncases_dir: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        Config.load(path)
    assert str(caught.value).startswith(f"{path}: not valid YAML at line ")


def test_not_a_set_of_settings_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "- cases_dir\n- theme\n")
    with pytest.raises(ConfigError) as caught:
        Config.load(path)
    assert str(caught.value) == f"{path}: expected settings like 'cases_dir: ~/Sync/cases'"


def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.mkdir()
    with pytest.raises(ConfigError, match="cannot be read"):
        Config.load(path)
    path.rmdir()
    path.write_bytes(b"theme: \xff\n")
    with pytest.raises(ConfigError, match=f"{path}: cannot be read"):
        Config.load(path)


@pytest.mark.parametrize(("line", "words"), [
    ("cases_dir: [a, b]", "'cases_dir' should be a folder, like '~/Sync/secondview-cases'"),
    ("cases_dir: 2024", "'cases_dir' should be a folder"),
    ("device_name: 42", "'device_name' should be text, like 'laptop'"),
    ("device_name: {a: b}", "'device_name' should be text"),
])
def test_where_cases_go_and_under_which_name_must_fit(
    tmp_path: Path, line: str, words: str
) -> None:
    path = write(tmp_path, line + "\n")
    with pytest.raises(ConfigError) as caught:
        Config.load(path)
    assert str(caught.value).startswith(f"{path}: {words}")


@pytest.mark.parametrize(("line", "words"), [
    ("theme: 5", "'theme' should be a theme's name, like 'secondview-light'"),
    ("keys: [n]", "'keys' should map binding ids to keys, like 'home.new: ctrl+n'; "
                  "the usual keys are in use"),
    ("keys: {home.new: ''}", "'keys' should map binding ids to keys"),
    ("keys: {home.new: 5}", "'keys' should map binding ids to keys"),
    ("keys: ctrl+n", "'keys' should map binding ids to keys"),
    ("export_dir: [a]", "'export_dir' should be a folder, like '~/Documents'; "
                        "the home folder is suggested"),
])
def test_a_look_and_feel_setting_that_does_not_fit_is_a_warning(
    tmp_path: Path, line: str, words: str
) -> None:
    path = write(tmp_path, f"device_name: desk\n{line}\n")
    config = Config.load(path)
    (warning,) = config.warnings
    assert warning.startswith(f"{path}: {words}")
    name = line.split(":")[0]
    assert getattr(config, name) in (None, {}) and config.device_name == "desk"


def test_unknown_keys_are_a_warning_naming_them(tmp_path: Path) -> None:
    path = write(tmp_path, "theme: nord\ncase_dir: ~/typo\nkeymap: {}\n")
    config = Config.load(path)
    assert config.theme == "nord" and config.cases_dir is None
    (warning,) = config.warnings
    assert warning.startswith(f"{path}: unknown settings 'case_dir', 'keymap' left out; ")
    assert "cases_dir, device_name, theme, keys, export_dir" in warning


def test_parse_takes_settings_already_read() -> None:
    config = Config.parse({"theme": "nord", "colour": "red"})
    assert config.theme == "nord" and config.file is None
    assert config.warnings == ("config.yaml: unknown setting 'colour' left out; the settings "
                               "are cases_dir, device_name, theme, keys, export_dir",)
    assert Config.parse(None) == Config()


def test_paths_resolve_reads_the_config_once_for_the_cases_folder(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    write(tmp_path / "config", f"cases_dir: {tmp_path / 'synced'}\ntheme: nord\n")
    env = {name: str(tmp_path / sub) for name, sub in (
        ("SECONDVIEW_DATA_DIR", "data"), ("SECONDVIEW_CACHE_DIR", "cache"),
        ("SECONDVIEW_CONFIG_DIR", "config"))}
    paths, config = Paths.resolve(env=env)
    assert paths.cases_dir == tmp_path / "synced" and config.theme == "nord"
    assert config.file == paths.config_file
    paths, _ = Paths.resolve(env={**env, "SECONDVIEW_CASES": str(tmp_path / "env")})
    assert paths.cases_dir == tmp_path / "env"


def test_readme_documents_every_setting() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    for setting in SETTINGS:
        assert f"`{setting.name}`" in section, setting.name
