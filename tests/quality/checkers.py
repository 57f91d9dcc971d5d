"""The Nu Html Checker and axe-core, as the reader-experience tests use them.

Both come pinned from npm (package.json; `make test` runs `npm ci`), the checker runs
on Java. Paths can be overridden for machines that keep them elsewhere.
"""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(
    os.environ.get("VNU_JAR", ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
)
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "node_modules" / "axe-core" / "axe.min.js"))


def html_errors(files: list[Path]) -> dict[str, list[str]]:
    """Errors the Nu Html Checker finds, per file (warnings and info are not errors)."""
    if not VNU_JAR.exists():
        raise FileNotFoundError(f"{VNU_JAR} is missing: run `npm ci` (make test does).")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    errors: dict[str, list[str]] = {str(f): [] for f in files}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            name = message.get("url", "").removeprefix("file:")
            line = message.get("lastLine", "?")
            errors.setdefault(name, []).append(f"line {line}: {message.get('message')}")
    return {name: found for name, found in errors.items() if found}


def axe_violations(page) -> list[str]:
    """axe-core violations of any impact on the page as it is now, one line each."""
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the pages'
    # Content Security Policy, which these checks keep in force.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in result["violations"]:
        nodes = violation["nodes"]
        lines.append(
            f"{violation['impact']}: {violation['id']} – {violation['help']} "
            f"({len(nodes)}×, e.g. {nodes[0]['target']})"
        )
    return lines
