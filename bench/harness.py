"""Commands, wrk runs and machine facts shared by the benchmark steps.

Every process the suite starts goes through scripts/processes.py, which ends it (its
whole process group) when the step ends, when the suite fails, on Ctrl+C and on SIGTERM.
"""

from __future__ import annotations

import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as files: make the scripts package importable

from scripts.processes import NGINX, spawn, stop, stop_all  # noqa: E402

BENCH = ROOT / "bench"
BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python"
SERVER_CPU, LOAD_CPU = "0", "1"


def _on_signal(signum: int, _frame: object) -> None:
    stop_all()
    sys.exit(128 + signum)


def install_signal_handlers() -> None:
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)


def run(
    *args: str | Path,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    timeout: float = 600,
    stderr_too: bool = False,
) -> str:
    """Run a command to its end (bounded by `timeout`); its stdout (and stderr after it
    when `stderr_too`), or an error with its stderr."""
    process = spawn(
        args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{' '.join(map(str, args))} took longer than {timeout} s") from None
    finally:
        stop(process)
    if process.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, args))} failed ({process.returncode}):\n{stderr[-3000:]}"
        )
    return stdout + stderr if stderr_too else stdout


def fetch(url: str) -> bytes:
    return urllib.request.urlopen(url, timeout=30).read()


REPORT_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50": %.3f, "p90": %.3f, "p95": %.3f, '
    .. '"p99": %.3f, "max": %.3f, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
"""


def wrk(
    url: str,
    seconds: int,
    connections: int,
    *,
    script: str = "",
    work: Path,
    pin: str | None = LOAD_CPU,
    timeout: str = "5s",
) -> dict[str, float]:
    """One bounded wrk run; requests/s, latency percentiles in ms (p95 from wrk's
    histogram through the Lua done() hook), errors (socket errors plus responses that
    are not 2xx/3xx)."""
    lua = work / f"wrk-{time.monotonic_ns()}.lua"
    lua.write_text(script + REPORT_LUA, encoding="utf-8")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", timeout]
    command += ["-s", str(lua), url]
    if pin is not None:
        command = ["taskset", "-c", pin, *command]
    output = run(*command, timeout=seconds + 60)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[6:])
    data["rps"] = data["requests"] / data["seconds"] if data["seconds"] else 0.0
    data["socket_errors"] = data["connect"] + data["read"] + data["write"] + data["timeout"]
    data["non2xx"] = data["status"]
    data["errors"] = data["socket_errors"] + data["non2xx"]
    return data


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def rotating_paths_lua(paths: Sequence[str], headers: dict[str, str] | None = None) -> str:
    """A wrk script that sends GETs to `paths` in turn (each connection from its own
    offset)."""
    items = ",\n  ".join(lua_string(p) for p in paths)
    header_lines = "".join(
        f"wrk.headers[{lua_string(k)}] = {lua_string(v)}\n" for k, v in (headers or {}).items()
    )
    return f"""
local paths = {{
  {items}
}}
{header_lines}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""


def version(*command: str, pattern: str = r"([\d.]+)") -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    match = re.search(pattern, result.stdout + result.stderr)
    return match.group(1) if match else "?"


def machine_facts(database: str) -> list[str]:
    cpu = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else platform.processor()
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        memory = f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else "?"
    packages = run(
        PYTHON,
        "-c",
        "import django, wagtail, gunicorn, importlib.metadata as m;"
        "print(django.__version__, wagtail.__version__, gunicorn.__version__,"
        " m.version('granian'), m.version('psycopg'))",
    ).split()
    django_version, wagtail_version, gunicorn_version, granian_version, psycopg_version = packages
    postgres = version("psql", database, "-tAc", "show server_version", pattern=r"([\d.]+)")
    redis = version("redis-server", "--version", pattern=r"v=([\d.]+)")
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; RAM {memory}",
        f"Kernel: {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, Django {django_version}, Wagtail "
        f"{wagtail_version}, gunicorn {gunicorn_version}, granian {granian_version}, "
        f"psycopg {psycopg_version}",
        f"PostgreSQL {postgres}, Redis {redis}"
        f", nginx {version(NGINX, '-v', pattern=r'nginx/([\d.]+)')}, "
        f"wrk {version('wrk', '-v', pattern=r'wrk (\S+)')}",
    ]
