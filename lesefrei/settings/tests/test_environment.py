import ast
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lesefrei.settings.environment import (
    env,
    env_bool,
    env_choice,
    env_decimal,
    env_int,
    env_int_list,
    env_list,
)

ROOT = Path(__file__).resolve().parents[3]
SETTINGS_DIR = ROOT / "lesefrei" / "settings"
DOMAIN_MODULES = ["accounts", "comments", "discovery", "support"]


def settings_modules() -> dict[str, ast.Module]:
    return {
        path.stem: ast.parse(path.read_text())
        for path in sorted(SETTINGS_DIR.glob("*.py"))
        if path.stem not in {"__init__", "environment"}
    }


def variables_read(tree: ast.Module) -> set[str]:
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("env")
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_unset_and_empty_variables_give_the_default(monkeypatch):
    monkeypatch.delenv("LESEFREI_X", raising=False)
    assert env_int("LESEFREI_X", 7) == 7
    assert env_bool("LESEFREI_X", True) is True
    assert env_decimal("LESEFREI_X", "5") == Decimal("5")
    assert env_choice("LESEFREI_X", ["pre", "post"], "pre") == "pre"
    assert env_int_list("LESEFREI_X", "5,10") == [5, 10]
    monkeypatch.setenv("LESEFREI_X", "")
    assert env_int("LESEFREI_X", 7) == 7
    assert env_bool("LESEFREI_X", True) is True
    assert env_choice("LESEFREI_X", ["pre", "post"], "pre") == "pre"


def test_empty_text_is_a_value_of_its_own(monkeypatch):
    monkeypatch.setenv("LESEFREI_X", "")
    assert env("LESEFREI_X", "redis://default") == ""
    assert env_list("LESEFREI_X", "a,b") == []


def test_values_are_read_as_operators_write_them(monkeypatch):
    for word, expected in [("1", True), ("On", True), ("yes", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("LESEFREI_X", word)
        assert env_bool("LESEFREI_X", not expected) is expected
    monkeypatch.setenv("LESEFREI_X", " 60 ")
    assert env_int("LESEFREI_X", 1) == 60
    monkeypatch.setenv("LESEFREI_X", "7.50")
    assert env_decimal("LESEFREI_X", "5") == Decimal("7.50")
    monkeypatch.setenv("LESEFREI_X", " 5, 10,,15 ")
    assert env_int_list("LESEFREI_X") == [5, 10, 15]
    assert env_list("LESEFREI_X") == ["5", "10", "15"]
    monkeypatch.setenv("LESEFREI_X", " Post ")
    assert env_choice("LESEFREI_X", ["pre", "post"], "pre") == "post"


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("abc", lambda: env_int("LESEFREI_X", 1)),
        ("maybe", lambda: env_bool("LESEFREI_X", False)),
        ("fünf", lambda: env_decimal("LESEFREI_X", "5")),
        ("NaN", lambda: env_decimal("LESEFREI_X", "5")),
        ("5,zehn", lambda: env_int_list("LESEFREI_X", "5")),
        ("later", lambda: env_choice("LESEFREI_X", ["pre", "post"], "pre")),
    ],
)
def test_a_value_that_cannot_be_read_is_refused_with_the_variables_name(monkeypatch, value, read):
    monkeypatch.setenv("LESEFREI_X", value)
    with pytest.raises(ImproperlyConfigured, match=re.escape(f"LESEFREI_X={value!r}")):
        read()


def test_a_bad_value_stops_the_start_with_a_message_naming_the_variable():
    result = subprocess.run(
        [sys.executable, "-c", "import lesefrei.settings.dev"],
        cwd=ROOT,
        env={**os.environ, "PAGE_CACHE_TIMEOUT": "abc"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: PAGE_CACHE_TIMEOUT='abc': expected a whole number" in result.stderr
    )


def test_settings_read_the_environment_only_through_the_readers():
    for name, tree in settings_modules().items():
        touched = {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}
        }
        assert not touched, f"{name}.py reads os.{touched.pop()}: use .environment"


def test_domain_settings_import_nothing_but_the_readers():
    # base.py imports the domain modules; were they to import base, the two would be a cycle.
    modules = settings_modules()
    for name in DOMAIN_MODULES:
        imported = {
            node.module
            for node in ast.walk(modules[name])
            if isinstance(node, ast.ImportFrom) and node.level
        }
        assert imported == {"environment"}, f"{name}.py imports {imported}"


def test_every_variable_the_settings_read_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    read = set().union(*(variables_read(tree) for tree in settings_modules().values()))
    assert read, "found no variables: the scan no longer matches the settings"
    assert read - documented == set()
