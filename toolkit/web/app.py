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

from flask import Flask, abort, redirect, render_template, request, send_file, session, url_for
from werkzeug.exceptions import HTTPException

from toolkit import __version__
from toolkit.domain.policy import Policy
from toolkit.services.checking import Budget, self_check
from toolkit.services.errors import told
from toolkit.web.city import city
from toolkit.web.hints import links
from toolkit.web.jobs import Jobs
from toolkit.web.previews import Previews
from toolkit.web.views import finding_view
from toolkit.web.server import LOOPBACK_NAMES
from toolkit.web.throttle import SignInThrottle
from toolkit.web.uploads import DOWNLOADS, Uploads, safe_name

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
    throttle = SignInThrottle()
    if token:  # for the server, which asks before it reads a large body (server.start)
        app.extensions["guishang.signed_in"] = lambda cookie: _signed_in_by(app, cookie)
    kept = uploads or Uploads()
    kept.sweep_every()
    atexit.register(kept.close)
    app.extensions["guishang.uploads"] = kept
    site = {"policy": policy, "policy_source": policy_source, "self_check_only": self_check_only,
            "workspace": None if self_check_only else workspace, "version": __version__}
    site["token"], site["max_upload_mb"] = bool(token), MAX_UPLOAD_MB
    app.extensions["guishang.site"] = site
    app.extensions["guishang.jobs"] = Jobs()
    app.extensions["guishang.previews"] = Previews(kept)
    if site["workspace"] is not None:  # the city's pages exist only on a workspace, never in self-check-only mode
        app.register_blueprint(city)

    @app.context_processor
    def _globals():
        return {"site": site, "csrf_token": _csrf_token, "csrf_field": CSRF_FIELD}

    @app.before_request
    def _guard():
        if _host_name(request.environ.get("HTTP_HOST", "")) not in hosts:
            # a bare page: not even the city's name, the menu or the policy's source goes to another site's page
            return (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>请求被拒绝</title>'
                    f"<p>{FOREIGN_HOST}</p></html>"), 400, {"Content-Type": "text/html; charset=utf-8"}
        if request.endpoint == "static":
            return None
        if token and not session.get("signed_in") and request.endpoint not in ("sign_in", "sign_out"):
            return redirect(url_for("sign_in", next=request.full_path if request.method == "GET" else "/"))
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            _check_same_origin()
            sent = request.form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token", "")
            expected = session.get("csrf", "")
            if not expected or not hmac.compare_digest(str(sent), expected):
                abort(400, "页面已过期或请求来源不明（缺少或不符的校验码）。请刷新页面后重新操作。")
        return None

    @app.route("/sign-in", methods=["GET", "POST"])
    def sign_in():
        if not token:
            return redirect(url_for("home"))
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

    @app.route("/sign-out", methods=["POST"])
    def sign_out():
        session.clear()
        return redirect(url_for("sign_in") if token else url_for("home"))

    @app.route("/")
    def home():
        if site["workspace"] is None:
            return redirect(url_for("self_check_page"))
        return redirect(url_for("city.status_page"))

    @app.route("/self-check", methods=["GET"])
    def self_check_page():
        return render_template("self_check.html", result=None)

    @app.route("/self-check", methods=["POST"])
    def self_check_upload():
        sent = request.files.get("workbook")
        if sent is None or not sent.filename:
            return render_template("self_check.html", result=None, problem="请先选择要自查的报表文件（.xlsx 或 .xlsm）。"), 400
        name = safe_name(sent.filename)
        if name is None:
            return render_template("self_check.html", result=None, problem=(
                f"“{sent.filename[:80]}”不是 Excel 工作簿（.xlsx 或 .xlsm）。请上传市里下发的报表模板填好后的文件；"
                "WPS 或 LibreOffice 中请“另存为”Excel 工作簿（.xlsx）。")), 400
        upload = kept.new(name)
        sent.save(upload.path)
        try:
            policy_now = _policy_now(site, policy_workspace)
            done = self_check(upload.path, policy_now, policy_source=site["policy_source"] if policy_now else "",
                              budget=app.config["GUISHANG_BUDGET"])
        except Exception as error:  # said in words (services.errors.told); a bug in one sentence, the server goes on
            kept.drop(upload)
            said = told(error)
            if said is not None:
                return render_template("self_check.html", result=None, problem=said.with_first_problem()), 409
            log.exception("self-check of %s failed", name)
            return render_template("self_check.html", result=None, problem=(
                f"校验“{name}”时程序出错，未能完成。请把该文件发给市工信局，由市里用命令行校验并反馈。")), 500
        upload.files["results"] = done.results
        if done.marked is not None:
            upload.files["marked"] = done.marked
        return render_template("self_check.html", result=_result(done.check, upload))

    @app.route("/self-check/<key>/<label>")
    def self_check_download(key: str, label: str):
        upload = kept.get(key)
        if upload is None or label not in upload.files:
            abort(404, "该文件已不在服务器上（自查结果只保留一小时）。请重新上传报表自查。")
        path = upload.files[label]
        return send_file(path, as_attachment=True, download_name=path.name,
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.after_request
    def _headers(response):
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        messages = {
            404: "没有这个页面。",
            405: "不支持这种操作方式。",
            413: f"上传的文件超过 {MAX_UPLOAD_MB} MB 的上限，重试也无法上传。县市区报表一般不到 5 MB：请确认选择的是"
                 "报表文件，或请县市区删去多余的工作表、图片后重新发送。",
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


def _policy_now(site: dict, policy_workspace) -> Policy | None:
    """The policy the self-check uses now: the workspace's as its file is now (the city may have just replaced it),
    else the one named at start, else None (each workbook's own)."""
    workspace = site["workspace"] or policy_workspace
    return workspace.policy() if workspace is not None else site["policy"]


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


def _host_name(header: str) -> str:
    """The name in a Host header, without its port ("[::1]:8765" → "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _result(check, upload) -> dict:
    findings = [finding_view(f) for f in check.findings]
    return {"name": upload.name, "county": check.county, "period": check.period, "errors": check.errors,
            "hints": check.hints, "unexplained": check.unexplained_hints, "verdict": check.verdict,
            "period_basis": check.period_basis, "period_warning": check.period_warning,
            "policy_source": check.policy_source,
            "ok": check.verdict_ok, "unreadable": check.unreadable, "findings": findings,
            "downloads": [(label, DOWNLOADS[label], upload.files[label].name,
                           url_for("self_check_download", key=upload.key, label=label)) for label in upload.files],
            "checked": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}

