"""Where the workbench may listen, and serving it with waitress (a pure-Python server for Windows and Linux)."""

from __future__ import annotations

import ipaddress
import threading
import webbrowser

from waitress.server import create_server

MIN_TOKEN = 8


class NotAllowed(Exception):
    """A start the rules refuse; the message says why and what to do, in Chinese."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Loopback is open to this computer only; any other address needs an access token."""
    if is_loopback(host):
        return
    if not token or len(token) < MIN_TOKEN:
        raise NotAllowed(
            f"在 {host} 上启动会让其他电脑访问本工作台，必须设置访问口令：加上 --token 口令（至少 {MIN_TOKEN} 位），"
            "或设置环境变量 GUISHANG_TOKEN。只在本机使用时不要指定 --host（默认 127.0.0.1）。")


def start(app, host: str, port: int, *, threads: int = 6):
    """A waitress server bound to ``host:port`` (port 0: any free port); call ``run()`` to serve,
    ``close()`` to stop. ``effective_port`` tells the port."""
    return create_server(app, host=host, port=port, threads=threads, clear_untrusted_proxy_headers=True,
                         max_request_body_size=app.config["MAX_CONTENT_LENGTH"], ident="guishang")


def open_browser_soon(url: str) -> None:
    threading.Timer(0.8, lambda: webbrowser.open(url)).start()
