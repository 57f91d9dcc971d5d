"""scripts/audit.py: the report built from a real reader-check --json summary (a run of the
audit, trimmed to seven pages, with the author page's Lighthouse report trimmed to the parts
the report reads), the clear refusal without reader-check, and the comment states."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "audit"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


audit = _load("audit")
audit_states = _load("audit_states")


@pytest.fixture
def summary() -> dict:
    data = json.loads((DATA / "reader-check.json").read_text(encoding="utf-8"))
    for result in data["pages"]:  # the Lighthouse reports of the test data live here
        result["lh_dir"] = str(DATA)
        result.pop("html_file", None)
    return data


def _pages(summary: dict) -> list:
    return [audit.Page(r["name"], r["url"], f"GET {r['url']}", "GET") for r in summary["pages"]]


def _report(summary: dict) -> str:
    host = {"cpu": "Test CPU", "cores": 2, "ram_mb": 24000, "kernel": "Linux 6", "load_before": []}
    return audit.render_report(summary, _pages(summary), host, "python scripts/audit.py")


def _row(report: str, name: str) -> list[str]:
    line = next(line for line in report.splitlines() if line.startswith(f"| {name} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_table_row_carries_the_numbers_of_the_reader_check_json(summary):
    row = _row(_report(summary), "home")
    # page, reached, mobile, desktop, LCP, CLS, TBT, KB, requests, 3p, cookies, vnu, axe, h1
    assert row == [
        "home", "GET", "98/100/100/92", "100/100/100/92", "1.18", "0.000", "155", "58/109",
        "6/13", "0/0", "0", "0", "0", "yes",
    ]  # fmt: skip


def test_header_and_rows_have_the_same_number_of_columns(summary):
    report = _report(summary)
    header = audit.HEADER.splitlines()[0].count("|")
    rows = [line for line in report.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + len(summary["pages"])
    assert {line.count("|") for line in rows} == {header}


def test_report_names_machine_tools_rerun_and_the_references(summary):
    report = _report(summary)
    assert "Test CPU, 2 cores, 23 GB RAM, Linux 6" in report
    assert f"Chromium {summary['meta']['browser_version']}" in report
    assert "Lighthouse 12.8.2" in report
    assert "`make audit` (`python scripts/audit.py`)" in report
    assert "lesefrei's article with 200 comments: 100/100/100/100, 42 KB at load, 0 third" in report
    assert "84/100/100/92, 508 KB, 200 third-party" in report
    assert "100/100/96/91" in report


def test_missed_target_says_by_how_much_and_which_audit_from_the_lighthouse_report(summary):
    author = next(r for r in summary["pages"] if r["name"] == "author")
    found = audit.misses(author)
    assert found[0].startswith("best-practices 96 (target 100): `image-aspect-ratio`")
    assert found[1].startswith("seo 92 (target 100): `meta-description`")
    assert len(found) == 2


def test_page_meeting_every_target_has_no_misses(summary):
    article = next(r for r in summary["pages"] if r["name"] == "article-200")
    assert audit.misses(article) == []


def test_error_status_pages_point_to_their_copy_and_list_html_errors(summary):
    broken = next(r for r in summary["pages"] if r["name"] == "server-error")
    found = audit.misses(broken)
    assert "ERRORED_DOCUMENT_REQUEST" in found[0] and "`-copy` row" in found[0]
    assert any(line.startswith("2 Nu Html Checker errors") for line in found)
    assert any("axe `html-has-lang`" in line for line in found)
    assert audit.lighthouse_failures(summary) == ["topic"]  # NO_NAVSTART, not a 404/500


def test_performance_causes_name_lcp_element_and_render_blocking_css():
    report = json.loads((DATA / "author-lh-mobile.json").read_text(encoding="utf-8"))
    causes = audit.performance_causes(report)
    assert causes[0].startswith("LCP element `")
    assert any(c.startswith("render-blocking: /static/css/lesefrei.") for c in causes)


def test_missing_reader_check_stops_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "scripts/audit.py", "--reader-check", str(tmp_path / "nichts")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert f"reader-check not found at {tmp_path / 'nichts'}" in result.stderr
    assert "--reader-check or READER_CHECK" in result.stderr


def test_the_200_audit_comments_are_all_different():
    texts = {audit_states.comment_text(number) for number in range(800)}
    assert len(texts) == 800


@pytest.mark.django_db
def test_comment_states_are_made_through_the_services_with_replies():
    from lesefrei.comments import selectors
    from lesefrei.comments.models import Comment
    from lesefrei.demo.logins import demo_staff_login
    from tests import factories

    article = factories.article()
    moderator = demo_staff_login("moderation", "Mona Moderatorin")
    audit_states._add_comments(article, 8, moderator)
    assert selectors.approved_count(article.pk) == 8
    comments = Comment.objects.filter(article=article)
    assert comments.count() == 8
    assert comments.filter(parent__isnull=False).count() == 2  # numbers 3 and 7 reply
    audit_states._add_comments(article, 8, moderator)  # already there: nothing added
    assert comments.count() == 8


def test_second_lighthouse_run_fills_only_the_preset_that_broke(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (second / "article-lh-mobile.json").write_text('{"from": "second run"}', encoding="utf-8")
    desktop = {"scores": {"performance": 100}}
    result = {
        "name": "article",
        "lh_dir": str(first),
        "lh": {"desktop": desktop},
        "lh_err": {"mobile": "lighthouse NO_NAVSTART: Something went wrong"},
    }
    again = {
        "name": "article",
        "lh": {"mobile": {"scores": {"performance": 99}}, "desktop": {"scores": {}}},
        "lh_err": {},
    }
    audit.merge_lighthouse(result, again, second)
    assert result["lh"] == {"desktop": desktop, "mobile": {"scores": {"performance": 99}}}
    assert result["lh_err"] == {}
    assert json.loads((first / "article-lh-mobile.json").read_text()) == {"from": "second run"}

    error_page = {"name": "404", "lh": {}, "lh_err": {"mobile": "ERRORED_DOCUMENT_REQUEST"}}
    audit.merge_lighthouse(error_page, {"name": "404", "lh": {"mobile": {}}}, second)
    assert error_page["lh_err"] == {"mobile": "ERRORED_DOCUMENT_REQUEST"}
