"""Where the workbench may listen, and serving it with waitress (a pure-Python server for Windows and Linux)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import webbrowser

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import create_server
from waitress.utilities import Error

from toolkit.web.throttle import MIN_LENGTH, weak_token


class NotAllowed(Exception):
    """A start the rules refuse; the message says why and what to do, in Chinese."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def allowed_hosts(host: str, more: tuple[str, ...] = ()) -> frozenset[str]:
    """The names a browser may use for this server (its Host header, without the port): loopback always; the
    address it listens on; on every address (0.0.0.0, ::) this computer's name and its addresses; and those named
    with --allow-host (a name on the city's network). Any other name is a page of another site that had its name
    pointed here (DNS rebinding) and is refused."""
    names = set(LOOPBACK_NAMES) | {h.strip().lower().strip("[]") for h in more if h.strip()}
    if host in ("0.0.0.0", "::", ""):
        own = socket.gethostname()
        names |= {own.lower(), socket.getfqdn().lower(), *_own_addresses(own)}
    else:
        names.add(host.lower().strip("[]"))
    return frozenset(names)


def _own_addresses(name: str) -> set[str]:
    """This computer's addresses: those its name resolves to, and the one it reaches the network by (found by
    pointing a UDP socket at a private address — nothing is sent), which on many machines its name does not give."""
    found = set()
    try:
        found |= {info[4][0] for info in socket.getaddrinfo(name, None)}
    except OSError:
        pass
    for family, probe in ((socket.AF_INET, "10.255.255.255"), (socket.AF_INET6, "fd00::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 1))
                found.add(udp.getsockname()[0])
        except OSError:
            continue
    return {address.split("%")[0].lower() for address in found}


def check_binding(host: str, token: str | None) -> None:
    """Loopback is open to this computer only; any other address needs an access token; a token given is never
    a weak one (throttle.weak_token), on any address."""
    weak = weak_token(token) if token else ""
    if weak:
        raise NotAllowed(f"访问口令不能用：{weak}。请换一个较长、不易猜到的口令（如 12 位以上的字母、数字和汉字）。")
    if is_loopback(host):
        return
    if not token:
        raise NotAllowed(
            f"在 {host} 上启动会让其他电脑访问本工作台，必须设置访问口令：加上 --token 口令（至少 {MIN_LENGTH} 位），"
            "或设置环境变量 GUISHANG_TOKEN。只在本机使用时不要指定 --host（默认 127.0.0.1）。")


OPEN_BODY_BYTES = 64 * 1024  # what a request may send before signing in: the sign-in form, with room to spare


def start(app, host: str, port: int, *, threads: int = 6):
    """A waitress server bound to ``host:port`` (port 0: any free port); call ``run()`` to serve,
    ``close()`` to stop. ``effective_port`` tells the port. With an access token, a request that is not signed
    in and would send more than OPEN_BODY_BYTES is refused on its headers, before its body is read."""
    # waitress's own cap is above the application's, so that an upload over the limit gets the application's
    # Chinese page (413) rather than waitress's English one; the body is spooled to a temporary file, not memory
    server = create_server(app, host=host, port=port, threads=threads, clear_untrusted_proxy_headers=True,
                           max_request_body_size=app.config["MAX_CONTENT_LENGTH"] * 4, ident="guishang")
    signed_in = app.extensions.get("guishang.signed_in")
    if signed_in is not None:
        server.channel_class = _channel_that_asks_first(signed_in)
    return server


class SignInFirst(Error):
    code = 403
    reason = "Forbidden"

    def to_response(self, ident=None):
        words = ("请先登录工作台，再上传文件或提交表单（未登录时不接收较大的请求）。"
                 "请在浏览器中打开工作台的地址，输入访问口令后重新操作。")
        body = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>请先登录</title>'
                f"<p>{words}</p></html>").encode("utf-8")
        return f"{self.code} {self.reason}", [("Content-Type", "text/html; charset=utf-8")], body


def _channel_that_asks_first(signed_in):
    """waitress's channel whose request parser refuses, on its headers alone, a large body (or one of unknown
    length) from a client that is not signed in (``signed_in(cookie_header)``): nothing of the body is read."""

    class Parser(HTTPRequestParser):
        def parse_header(self, header_plus):
            super().parse_header(header_plus)
            large = self.chunked or self.content_length > OPEN_BODY_BYTES
            if large and not signed_in(self.headers.get("COOKIE", "")):
                self.error = SignInFirst("")
                self.completed = True

    class Channel(HTTPChannel):
        parser_class = Parser

    return Channel


def open_browser_soon(url: str) -> None:
    threading.Timer(0.8, lambda: webbrowser.open(url)).start()
