from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.quality.checkers import html_errors
from tests.quality.pages import READER_PAGES


@pytest.mark.django_db
def test_every_reader_page_is_valid_html(client, tmp_path: Path):
    call_command("load_demo_content", "--quiet-accounts", stdout=StringIO())
    files = []
    for name, path in READER_PAGES:
        response = client.get(path())
        assert response.status_code in (200, 404), (name, response.status_code)
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(file)
    assert html_errors(files) == {}


def test_the_checker_finds_errors(tmp_path: Path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!doctype html><html lang=de><title>x</title><p><div>falsch</p>", encoding="utf-8"
    )
    assert html_errors([broken])
