"""Start and stop the servers the audit, the benchmark and the integration tests run on
this machine: the app (gunicorn or granian), nginx with the shipped configuration, a
throwaway Redis, and any background process.

    from scripts.processes import free_port, start_app, start_nginx

    port = free_port()
    with start_app(port, env=env) as app, start_nginx(prefix, free_port(), app=app.address,
                                                      static=static, media=media) as web:
        ...  # web.url answers

Invariants:

- every process starts in a process group of its own and is stopped with that whole
  group (SIGTERM, then SIGKILL after `timeout`), so no worker outlives its master;
- every `start_*` returns only once the server answers; a server that exits or does not
  answer in time is stopped and raises StartError with the last lines of its log;
- `stop_all()` ends whatever is still running (the benchmark calls it after each step
  and from its signal handlers).

`python -m scripts.processes serve-app` execs the production profile's app server
(scripts/serve-app: deploy/Procfile and the systemd unit). Standard library only.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, NoReturn

from scripts.nginx_conf import write_config

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
HOST = "127.0.0.1"

AppServer = Literal["gunicorn", "granian"]
APP_SERVERS: tuple[AppServer, ...] = ("gunicorn", "granian")
# What the production profile adds to each server's defaults (scripts/serve-app).
PRODUCTION_OPTIONS: dict[AppServer, tuple[str, ...]] = {
    "granian": ("--blocking-threads", "1", "--backlog", "2048", "--respawn-failed-workers",
                "--no-access-log"),
    "gunicorn": ("--backlog", "2048", "--keep-alive", "75"),
}  # fmt: skip

_running: list[subprocess.Popen] = []


class StartError(RuntimeError):
    """A server did not start; the message says why and ends with its log's last lines."""


# ---------------------------------------------------------------- ports and answers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 1) -> bool:
    """Whether a TCP connection to host:port succeeds within `timeout` seconds."""
    try:
        socket.create_connection((host, port), timeout).close()
    except OSError:
        return False
    return True


def http_status(url: str, timeout: float = 5) -> int | None:
    """The status of a GET of `url` (redirects followed), None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_for_url(
    url: str, *, timeout: float = 60, server: Server | None = None, any_status: bool = False
) -> None:
    """Wait until a GET of `url` answers below 500 (with `any_status`, with any status: an
    app without its database answers 500 on purpose). A first request may take long
    (imports, cold caches), so each may use the time that is left. Fails early when
    `server` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = http_status(url, timeout=max(1.0, deadline - time.monotonic()))
        if status is not None and (any_status or status < 500):
            return
        _check_alive(server, f"answering at {url}")
        time.sleep(0.2)
    _fail(server, f"did not answer at {url} within {timeout:g} s")


def wait_for_port(
    port: int, *, host: str = HOST, timeout: float = 10, server: Server | None = None
) -> None:
    """Wait until host:port accepts a TCP connection; fails early when `server` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(host, port, timeout=1):
            return
        _check_alive(server, f"listening on {host}:{port}")
        time.sleep(0.05)
    _fail(server, f"did not listen on {host}:{port} within {timeout:g} s")


def _check_alive(server: Server | None, doing: str) -> None:
    if server is not None and server.process.poll() is not None:
        _fail(server, f"exited with code {server.process.returncode} before {doing}")


def _fail(server: Server | None, what: str) -> NoReturn:
    if server is None:
        raise StartError(what)
    tail = server.log_tail()
    raise StartError(
        f"{server.name} {what}"
        + (
            f"\n--- the last lines it wrote ({server.log_name or 'its output'}):\n{tail}"
            if tail
            else ""
        )
    )


# ---------------------------------------------------------------- process groups


def spawn(
    command: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    pin: str | None = None,
    stdout: int | IO | None = None,
    stderr: int | IO | None = None,
    text: bool = False,
) -> subprocess.Popen:
    """Start `command` in a process group of its own (on CPU `pin` through taskset when
    given), registered for stop_all()."""
    arguments = [str(part) for part in command]
    if pin is not None:
        arguments = ["taskset", "-c", pin, *arguments]
    process = subprocess.Popen(
        arguments,
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdout=stdout,
        stderr=stderr,
        text=text,
        start_new_session=True,
    )
    _running.append(process)
    return process


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """End the process and everything in its group: SIGTERM (and SIGCONT, in case it was
    paused), then SIGKILL after `timeout` seconds."""
    try:
        _signal_group(process, signal.SIGTERM)
        _signal_group(process, signal.SIGCONT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=5)
    finally:
        if process in _running:
            _running.remove(process)


def stop_all() -> None:
    """Stop every process spawn() started that is still registered, newest first."""
    while _running:
        stop(_running[-1])


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    # The group outlives its leader when a worker does: signal it even then.
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


@dataclass(eq=False)
class Server:
    """A process group start() started, with its output; a context manager that stops it.
    Without a `log` of the caller's, the output is an unnamed temporary file: nothing is
    left behind, and the tail is still there when the start fails."""

    name: str
    process: subprocess.Popen
    output: IO[bytes]
    port: int | None = None
    log: Path | None = None
    extra_logs: Sequence[Path] = ()

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    @property
    def log_name(self) -> str:
        return ", ".join(str(path) for path in [self.log, *self.extra_logs] if path)

    def log_tail(self, chars: int = 3000) -> str:
        """The last `chars` characters of the output and of each extra log."""
        if self.log is not None:
            parts = [_tail_of(self.log, chars)]
        else:
            size = os.fstat(self.output.fileno()).st_size
            # pread leaves the offset the server writes at alone.
            read = os.pread(self.output.fileno(), min(size, chars), max(0, size - chars))
            parts = [read.decode(errors="replace")]
        parts += [_tail_of(path, chars) for path in self.extra_logs]
        return "\n".join(part for part in parts if part.strip())

    def pause(self) -> None:
        """Unreachable with everything kept (like a network partition): SIGSTOP."""
        _signal_group(self.process, signal.SIGSTOP)

    def resume(self) -> None:
        _signal_group(self.process, signal.SIGCONT)

    def stop(self, timeout: float = 10) -> None:
        stop(self.process, timeout)
        self.output.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _tail_of(path: Path, chars: int) -> str:
    try:
        return path.read_bytes()[-chars:].decode(errors="replace")
    except OSError:
        return ""


def start(
    name: str,
    command: Sequence[str | Path],
    *,
    port: int | None = None,
    ready_path: str | None = None,
    any_status: bool = False,
    timeout: float = 60,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    log: Path | None = None,
    pin: str | None = None,
    extra_logs: Sequence[Path] = (),
) -> Server:
    """Start `command`; return once it answers: a GET of `ready_path` on 127.0.0.1:port
    when given, else a TCP connection to the port, else at once (a background process)."""
    executable = Path(command[0])
    if not (shutil.which(str(executable)) or executable.exists()):
        raise StartError(f"{name}: {executable} is not installed")
    output = log.open("ab") if log else tempfile.TemporaryFile()  # noqa: SIM115
    try:
        process = spawn(command, env=env, cwd=cwd, pin=pin, stdout=output, stderr=subprocess.STDOUT)
    except BaseException:
        output.close()
        raise
    server = Server(name, process, output, port, log, extra_logs)
    try:
        if port is not None and ready_path is not None:
            wait_for_url(
                server.url + ready_path, timeout=timeout, server=server, any_status=any_status
            )
        elif port is not None:
            wait_for_port(port, timeout=timeout, server=server)
    except BaseException:
        server.stop()
        raise
    return server


# ---------------------------------------------------------------- the servers


def app_command(
    server: AppServer,
    port: int,
    *,
    workers: int = 1,
    host: str = HOST,
    app: str = "lesefrei.wsgi:application",
    options: Sequence[str] = (),
) -> list[str]:
    """The command line of the WSGI `app` under gunicorn or granian on host:port."""
    if server == "gunicorn":
        command = [str(BIN / "gunicorn"), app, "-b", f"{host}:{port}", "-w", str(workers)]
    elif server == "granian":
        command = [str(BIN / "granian"), "--interface", "wsgi", "--host", host, "--port",
                   str(port), "--workers", str(workers), app]  # fmt: skip
    else:
        raise ValueError(f"app server must be one of {', '.join(APP_SERVERS)}, not {server!r}")
    return [*command, *options]


def start_app(
    port: int,
    *,
    server: AppServer = "gunicorn",
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    app: str = "lesefrei.wsgi:application",
    options: Sequence[str] = (),
    cwd: Path = ROOT,
    log: Path | None = None,
    pin: str | None = None,
    ready_path: str = "/healthz",
    any_status: bool = False,
    timeout: float = 60,
) -> Server:
    """The app (settings from `env`) under `server` on 127.0.0.1:port, once `ready_path`
    answers."""
    return start(
        server,
        app_command(server, port, workers=workers, app=app, options=options),
        port=port,
        ready_path=ready_path,
        any_status=any_status,
        timeout=timeout,
        env=env,
        cwd=cwd,
        log=log,
        pin=pin,
    )


def start_nginx(
    prefix: Path,
    port: int,
    *,
    app: str,
    static: Path,
    media: Path,
    pin: str | None = None,
    ready_path: str = "/healthz",
    timeout: float = 20,
) -> Server:
    """nginx with the shipped configuration (scripts/nginx_conf.py writes it under
    `prefix`) on 127.0.0.1:port in front of the app at `app` (host:port), once
    `ready_path` answers through it."""
    if not Path(NGINX).exists():
        raise StartError("nginx is not installed (apt-get install nginx, or make server-deps)")
    write_config(prefix, listen=f"{HOST}:{port}", app=app, static=static, media=media)
    return start(
        "nginx",
        [NGINX, "-p", prefix.resolve(), "-c", "nginx.conf", "-g", "daemon off;"],
        port=port,
        ready_path=ready_path,
        timeout=timeout,
        pin=pin,
        extra_logs=[prefix.resolve() / "error.log"],
    )


def start_redis(
    directory: Path, *, port: int | None = None, maxmemory: str = "", policy: str = ""
) -> Server:
    """A redis-server of its own on 127.0.0.1:port (a free one by default), without
    persistence: a restart starts empty, as docs/operations.md recommends."""
    if not Path(REDIS_SERVER).exists():
        raise StartError("redis-server is not installed (apt-get install redis-server).")
    port = port or free_port()
    command = [REDIS_SERVER, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly",
               "no", "--dir", str(directory)]  # fmt: skip
    if maxmemory:
        command += ["--maxmemory", maxmemory]
    if policy:
        command += ["--maxmemory-policy", policy]
    return start("redis-server", command, port=port, timeout=10)


def serve_app(environ: Mapping[str, str]) -> None:
    """Replace this process by the production profile's app server: APP_SERVER
    (granian|gunicorn, default granian), APP_BIND (127.0.0.1:8001), WEB_CONCURRENCY
    (workers, default one per CPU core)."""
    server = environ.get("APP_SERVER", "granian")
    if server not in APP_SERVERS:
        print(f"APP_SERVER must be granian or gunicorn, not '{server}'.", file=sys.stderr)
        sys.exit(2)
    host, _, port = environ.get("APP_BIND", "127.0.0.1:8001").rpartition(":")
    workers = int(environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)))
    command = app_command(
        server, int(port), workers=workers, host=host, options=PRODUCTION_OPTIONS[server]
    )
    os.chdir(ROOT)
    os.execv(command[0], command)


if __name__ == "__main__":
    if sys.argv[1:] != ["serve-app"]:
        sys.exit("usage: python -m scripts.processes serve-app")
    serve_app(os.environ)
