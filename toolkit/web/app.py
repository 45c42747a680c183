"""The workbench application: pages in Chinese, the same use cases as the buttons, safe by default.

- Every state-changing request (POST) carries the page's CSRF token (a form field or the X-CSRF-Token header)
  and, when the browser says where it comes from (Origin), comes from this server; otherwise it is refused.
- With an access token (required by ``server`` on any address but loopback), every page asks for it first.
- Uploads are limited to the reader's own file size limit, kept in private temporary folders (``uploads``) and
  checked by the same use case as ``guishang check``; a file that cannot be read is a finding, never a crash.
- ``self_check_only``: only the county self-check page exists; no route reads the workspace.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hmac
import logging
import secrets
from urllib.parse import urlsplit

from flask import Flask, abort, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException

from toolkit import __version__
from toolkit.domain.policy import Policy
from toolkit.services.checking import Budget
from toolkit.services.errors import told
from toolkit.web.access import access
from toolkit.web.city import city
from toolkit.web.hints import links
from toolkit.web.jobs import Jobs
from toolkit.web.level import terms_now
from toolkit.web.previews import Previews
from toolkit.web.self_check import county_self_check
from toolkit.web.server import LOOPBACK_NAMES
from toolkit.web.throttle import SignInThrottle
from toolkit.web.uploads import Uploads

SESSION_HOURS = 10
UPLOAD_INFLATE_MB = 100  # a county workbook expands to well under 50 MB; the command line allows 500
MAX_UPLOAD_MB = 50  # the reader's own limit (toolkit.adapters.workbook_file.MAX_FILE_MB)
CSRF_FIELD = "csrf"
log = logging.getLogger("guishang.web")

FOREIGN_HOST = ("请用本工作台的地址访问（如 http://127.0.0.1:端口/）。这个请求用的是其他网站的名称，可能是某个网页在冒用"
                "本机地址，已拒绝。市里内网的其他名称请在启动时用 --allow-host 指定。")
# no inline script anywhere (htmx, ECharts and site.js are files); styles inline are allowed (ECharts sets them)
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(policy: Policy | None, *, policy_source: str, workspace=None, self_check_only: bool = False,
               token: str | None = None, uploads: Uploads | None = None, policy_workspace=None,
               hosts: frozenset[str] = frozenset(LOOPBACK_NAMES), inflate_mb: int = UPLOAD_INFLATE_MB,
               budget: Budget | None = None) -> Flask:
    """``policy`` None: each uploaded workbook is checked against the policy it carries. ``policy_workspace`` (the
    self-check-only mode on a workspace): its policy is read at each request, as the city's pages read theirs.
    ``hosts``: the names a browser may call this server by (server.allowed_hosts); loopback unless told.
    ``budget``: what checking one upload may use (by default, what goes with ``inflate_mb``)."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # sessions end with the server
        MAX_CONTENT_LENGTH=MAX_UPLOAD_MB * 1024 * 1024 + 256 * 1024,  # the file and the form around it
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),  # signed in for a working day at most
        # what checking one upload may use: its expansion, then memory and time in a child process
        GUISHANG_BUDGET=budget or Budget.for_uploads_of(inflate_mb),
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.config["GUISHANG_TOKEN"] = token or ""  # the access token the sign-in page compares with (access.py)
    app.extensions["guishang.throttle"] = SignInThrottle()
    if token:  # for the server, which asks before it reads a large body (server.start)
        app.extensions["guishang.signed_in"] = lambda cookie: _signed_in_by(app, cookie)
    kept = uploads or Uploads()
    kept.sweep_every()
    atexit.register(kept.close)
    app.extensions["guishang.uploads"] = kept
    site = {"policy": policy, "policy_source": policy_source, "self_check_only": self_check_only,
            "workspace": None if self_check_only else workspace, "version": __version__,
            "policy_workspace": policy_workspace}
    site["token"], site["max_upload_mb"] = bool(token), MAX_UPLOAD_MB
    app.extensions["guishang.site"] = site
    app.extensions["guishang.jobs"] = Jobs()
    app.extensions["guishang.previews"] = Previews(kept)
    app.register_blueprint(access)
    app.register_blueprint(county_self_check)
    if site["workspace"] is not None:  # the city's pages exist only on a workspace, never in self-check-only mode
        app.register_blueprint(city)

    @app.context_processor
    def _globals():
        return {"site": site, "csrf_token": _csrf_token, "csrf_field": CSRF_FIELD, "terms": terms_now(site)}

    @app.before_request
    def _guard():
        if _host_name(request.environ.get("HTTP_HOST", "")) not in hosts:
            # a bare page: not even the city's name, the menu or the policy's source goes to another site's page
            return (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>请求被拒绝</title>'
                    f"<p>{FOREIGN_HOST}</p></html>"), 400, {"Content-Type": "text/html; charset=utf-8"}
        if request.endpoint == "static":
            return None
        if token and not session.get("signed_in") and request.endpoint not in ("access.sign_in", "access.sign_out"):
            return redirect(url_for("access.sign_in", next=request.full_path if request.method == "GET" else "/"))
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            _check_same_origin()
            sent = request.form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token", "")
            expected = session.get("csrf", "")
            if not expected or not hmac.compare_digest(str(sent), expected):
                abort(400, "页面已过期或请求来源不明（缺少或不符的校验码）。请刷新页面后重新操作。")
        return None

    @app.route("/")
    def home():
        if site["workspace"] is None:
            return redirect(url_for("self_check.page"))
        return redirect(url_for("city.status_page"))

    @app.after_request
    def _headers(response):
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        unit = terms_now(site).unit
        messages = {
            404: "没有这个页面。",
            405: "不支持这种操作方式。",
            413: f"上传的文件超过 {MAX_UPLOAD_MB} MB 的上限，重试也无法上传。{unit}报表一般不到 5 MB：请确认选择的是"
                 f"报表文件，或请{unit}删去多余的工作表、图片后重新发送。",
        }
        message = error.description if error.code in (400, 404) and error.description and not \
            error.description.startswith(("The ", "Not Found")) else messages.get(error.code, "请求无法处理。")
        return render_template("error.html", code=error.code, message=message), error.code

    @app.errorhandler(Exception)
    def _refused_or_internal(error: Exception):
        said = told(error)  # the one mapping every door uses (services.errors)
        if said is not None:
            return render_template("error.html", code=409, message=said.with_first_problem(),
                                   hints=links(said.hints)), 409
        log.exception("internal error")
        return render_template("error.html", code=500, message="程序内部出错，本次操作未完成。请重试；仍出错时请联系管理员。"), 500

    return app


def _signed_in_by(app: Flask, cookie: str) -> bool:
    """The session in the ``Cookie`` header ``cookie`` is signed in (read as each request's session is read)."""
    try:
        request_ = app.request_class({"HTTP_COOKIE": cookie, "REQUEST_METHOD": "GET", "wsgi.url_scheme": "http"})
        opened = app.session_interface.open_session(app, request_)
    except Exception:  # a cookie that cannot be read is not signed in
        return False
    return bool(opened and opened.get("signed_in"))


def _csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def _check_same_origin() -> None:
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        abort(400, "请求来自其他网站，已拒绝。请在本工作台的页面上操作。")


def _host_name(header: str) -> str:
    """The name in a Host header, without its port ("[::1]:8765" → "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header
