"""Write a standalone nginx.conf for the local production profile (or print the site
block for a server) from deploy/nginx/lesefrei.conf.

    python scripts/nginx_conf.py --prefix var/nginx --listen 127.0.0.1:8080 --app 127.0.0.1:8001
    nginx -p var/nginx -c nginx.conf      # runs as the current user, everything under var/nginx
"""

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "lesefrei.conf"
MODULES = Path("/usr/lib/nginx/modules")


def site_block(listen: str, app: str, static: Path, media: Path, cache: Path, name: str) -> str:
    text = SITE.read_text(encoding="utf-8")
    for key, value in {
        "@LISTEN@": listen,
        "@APP@": app,
        "@STATIC_ROOT@": str(static),
        "@MEDIA_ROOT@": str(media),
        "@CACHE_DIR@": str(cache),
        "@SERVER_NAME@": name,
    }.items():
        text = text.replace(key, value)
    if not (MODULES / "ngx_http_brotli_filter_module.so").exists():
        text = "\n".join(line for line in text.splitlines() if "brotli" not in line.split("#")[0])
    return text


def standalone(prefix: Path, site: str, workers: int) -> str:
    modules = "".join(
        f"load_module {MODULES / name};\n"
        for name in ("ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so")
        if (MODULES / name).exists()
    )
    # Started by root (CI, a container), the workers would run as nobody and could not
    # write the cache under the caller's folders: keep them as the caller.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{modules}{user}worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
{site}
}}
"""


def write_config(
    prefix: Path,
    *,
    listen: str,
    app: str,
    static: Path,
    media: Path,
    server_name: str = "_",
    workers: int = 1,
) -> Path:
    """Write prefix/nginx.conf (and the folders it names) for nginx -p prefix; its path."""
    prefix = prefix.resolve()
    site = site_block(listen, app, static.resolve(), media.resolve(), prefix / "cache", server_name)
    for folder in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    path = prefix / "nginx.conf"
    path.write_text(standalone(prefix, site, workers), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prefix", type=Path, default=ROOT / "var" / "nginx")
    parser.add_argument("--listen", default="127.0.0.1:8080")
    parser.add_argument("--app", default="127.0.0.1:8001")
    parser.add_argument("--static", type=Path, default=ROOT / "var" / "static")
    parser.add_argument("--media", type=Path, default=ROOT / "var" / "media")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--site-only", action="store_true", help="print only the server block")
    args = parser.parse_args()
    if args.site_only:
        prefix = args.prefix.resolve()
        print(
            site_block(
                args.listen,
                args.app,
                args.static.resolve(),
                args.media.resolve(),
                prefix / "cache",
                args.server_name,
            )
        )
        return
    print(
        write_config(
            args.prefix,
            listen=args.listen,
            app=args.app,
            static=args.static,
            media=args.media,
            server_name=args.server_name,
            workers=args.workers,
        )
    )


if __name__ == "__main__":
    main()
