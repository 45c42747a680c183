"""登录 and 退出: with an access token (required on any address but loopback), every page asks for it first;
wrong tries are slowed down per client (``throttle``), and after signing in only a path on this server is
followed (never another site)."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

access = Blueprint("access", __name__)


@access.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    token = current_app.config["GUISHANG_TOKEN"]
    if not token:
        return redirect(url_for("home"))
    throttle = current_app.extensions["guishang.throttle"]
    wrong, client = False, request.remote_addr or ""
    if request.method == "POST":
        waiting = throttle.wait(client)
        if waiting:
            page = render_template("sign_in.html", waiting=_waiting_words(waiting))
            return page, 429, {"Retry-After": str(waiting)}
        if hmac.compare_digest(request.form.get("token", "").encode(), token.encode()):
            throttle.succeeded(client)
            session.clear()
            session.permanent = True
            session["signed_in"] = True
            return redirect(_local_next(request.args.get("next")))
        throttle.failed(client)
        wrong = True
    return render_template("sign_in.html", wrong=wrong), (403 if wrong else 200)


@access.route("/sign-out", methods=["POST"])
def sign_out():
    session.clear()
    return redirect(url_for("access.sign_in") if current_app.config["GUISHANG_TOKEN"] else url_for("home"))


def _local_next(target: str | None) -> str:
    r"""Only a path on this server (never another site) after signing in: a browser drops tabs and newlines from
    a URL and reads a backslash as a slash, so "/%09/evil.com" or "/\evil.com" would lead away; any such
    character, or anything with a scheme or a host, gives the start page."""
    if not target or not target.startswith("/") or "\\" in target \
            or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return "/"
    return target


def _waiting_words(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    wait = f"{minutes} 分 {rest} 秒" if minutes else f"{rest} 秒"
    return f"口令错误次数过多，请 {wait}后再试。口令由启动工作台的管理员提供。"
