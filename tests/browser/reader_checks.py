"""The checks every page and state gets in Chromium, shared by the reader-quality tests.

One page is loaded once; it is then looked at in both colour schemes (axe-core at
390 px) and photographed at 390 and 1280 px, light and dark. Its HTML as the server sent
it is kept for the Nu Html Checker, requests to other hosts and console errors are
collected on the way, and the cookies are checked against what the page may set.
"""

from pathlib import Path

from django.conf import settings

from tests.browser.conftest import DESKTOP, PHONE
from tests.quality.checkers import axe_violations, html_errors
from tests.quality.pages import CSRF_COOKIE

SCHEMES = ("light", "dark")


class ReaderChecks:
    """Runs the checks on a Playwright page and collects every problem by page name."""

    def __init__(self, page, site: str, screenshots: Path, html_dir: Path) -> None:
        self.page = page
        self.host = site.split("/")[2]
        self.screenshots = screenshots
        self.html_dir = html_dir
        html_dir.mkdir(parents=True, exist_ok=True)
        self.problems: dict[str, list[str]] = {}
        self.console: list[str] = []
        self.other_hosts: set[str] = set()
        self.html_files: list[Path] = []
        page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        page.on("pageerror", lambda error: self.console.append(str(error)))
        page.on("request", self._on_request)

    def _on_request(self, request) -> None:
        host = request.url.split("/")[2] if "://" in request.url else self.host
        if request.url.startswith(("data:", "blob:")):
            return
        if host != self.host:
            self.other_hosts.add(request.url)

    def problem(self, name: str, text: str) -> None:
        self.problems.setdefault(name, []).append(text)

    def check(
        self,
        name: str,
        response,
        *,
        status: int = 200,
        reading: bool = True,
        signed_in: bool = False,
        expected_console: str | None = None,
    ) -> None:
        """Check the page as it is now; `response` is the main document's response."""
        page = self.page
        if response is None or response.status != status:
            self.problem(name, f"status {response and response.status}, expected {status}")
        if response is not None:
            file = self.html_dir / f"{name}.html"
            file.write_bytes(response.body())
            self.html_files.append(file)
        # Chromium logs a non-2xx answer of the document itself as a console error.
        errors = [e for e in self.console if not (expected_console and expected_console in e)]
        if errors:
            self.problem(name, f"console: {errors}")
        self.console.clear()
        if page.locator("h1").count() != 1:
            self.problem(name, f"{page.locator('h1').count()} h1 elements")
        self.check_cookies(name, reading, signed_in)
        size = page.viewport_size
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            page.set_viewport_size(PHONE)
            for violation in axe_violations(page):
                self.problem(f"{name} ({scheme})", violation)
            page.screenshot(path=self.screenshots / f"{name}-390-{scheme}.png", full_page=True)
            page.set_viewport_size(DESKTOP)
            page.screenshot(path=self.screenshots / f"{name}-1280-{scheme}.png", full_page=True)
        page.emulate_media(color_scheme="light")
        page.set_viewport_size(size)

    def check_cookies(self, name: str, reading: bool, signed_in: bool = False) -> None:
        """Reading pages set no cookie; form pages at most Django's CSRF cookie (and the
        session cookie once the reader has logged in)."""
        names = {cookie["name"] for cookie in self.page.context.cookies()}
        allowed = set() if reading else {CSRF_COOKIE}
        if signed_in:
            allowed.add(settings.SESSION_COOKIE_NAME)
        if names - allowed:
            self.problem(name, f"cookies set for an anonymous reader: {sorted(names)}")

    def finish(self) -> dict[str, list[str]]:
        """Every problem found, including HTML errors and requests to other hosts."""
        for file, errors in html_errors(self.html_files).items():
            self.problem(f"{Path(file).stem} (HTML)", "; ".join(errors))
        if self.other_hosts:
            self.problem("other hosts", ", ".join(sorted(self.other_hosts)))
        return self.problems
