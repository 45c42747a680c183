"""``guishang serve``: start the browser workbench (toolkit.web) and open it in the browser."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console

from toolkit.cli.common import add_workspace, open_workspace, policy_of
from toolkit.cli.text import esc
from toolkit.domain.outcomes import Outcome
from toolkit.services.errors import UserError
from toolkit.services.policy import POLICY_FILE_NAME


def add_parsers(verbs) -> None:
    serve = verbs.add_parser("serve", help="启动浏览器工作台（市里的工作台；加 --self-check-only 只提供县区自查页）")
    add_workspace(serve)
    serve.add_argument("--policy", type=Path, metavar="FILE",
                       help="只提供县区自查时使用的政策参数工作簿（有工作区时用工作区的；都没有时按每份报表附带的政策参数）")
    serve.add_argument("--sample", action="store_true", help="只提供县区自查时明确使用内置样例（株洲 2022—2025），只供试用")
    serve.add_argument("--host", default="127.0.0.1",
                       help="监听的地址（默认 127.0.0.1，只有本机能访问；其他地址必须同时设置 --token）")
    serve.add_argument("--port", type=int, default=8765, help="端口（默认 8765；0 表示任选一个空闲端口）")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="浏览器还可以用哪个名称访问本工作台（如市里内网的域名；可重复）。本机名称和监听的地址总是可以；"
                            "其他名称一律拒绝，防止网页冒用本机地址")
    serve.add_argument("--upload-limit-mb", type=int, default=None, metavar="MB",
                       help="每份上传的报表解压后最多多少 MB（默认 100；正常报表不足 50 MB，命令行的上限是 500）；"
                            "每份上传在单独的进程中校验，最多用这个数的 8 倍内存（至少 400 MB）、60 秒，超过即停止。"
                            "服务器内存较小时可调低")
    serve.add_argument("--token", help="访问口令（至少 8 位；也可用环境变量 GUISHANG_TOKEN 设置）")
    serve.add_argument("--self-check-only", action="store_true",
                       help="只提供县区自查页（不读取、不显示工作区的任何数据），可放在市里的内网上供县市区使用")
    serve.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args, console: Console) -> int:
    from toolkit.web.app import create_app
    from toolkit.web.server import (LOOPBACK_NAMES, NotAllowed, allowed_hosts, check_binding, is_loopback,
                                    open_browser_soon, start)

    token = args.token or os.environ.get("GUISHANG_TOKEN") or None
    if args.upload_limit_mb is not None and not 10 <= args.upload_limit_mb <= 500:
        raise UserError(f"--upload-limit-mb 应在 10 到 500 之间（填的是 {args.upload_limit_mb}）。")
    try:
        check_binding(args.host, token)
    except NotAllowed as refused:
        raise UserError(str(refused)) from None
    policy_workspace = None
    if args.self_check_only:
        if sum(bool(x) for x in (args.workspace, args.policy, args.sample)) > 1:
            raise UserError("--workspace、--policy 与 --sample 只能选一个。")
        chosen = policy_of(args, carried=True)
        policy, source = chosen.policy, chosen.source
        policy_workspace = chosen.workspace  # its policy is read at each request; nothing else of it is shown
        workspace = None
    else:
        if args.policy or args.sample:
            raise UserError("--policy 和 --sample 只用于 --self-check-only：工作台用工作区中的政策参数。")
        workspace = open_workspace(args)
        policy, source = workspace.policy(), f"工作区“{workspace.root.name}”的{POLICY_FILE_NAME}"
    hosts = allowed_hosts(args.host, tuple(args.allow_host))
    app = create_app(policy, policy_source=source, workspace=workspace, self_check_only=args.self_check_only,
                     token=token, policy_workspace=policy_workspace, hosts=hosts,
                     **({"inflate_mb": args.upload_limit_mb} if args.upload_limit_mb else {}))
    try:
        server = start(app, args.host, args.port)
    except OSError as error:
        raise UserError(f"无法在 {args.host}:{args.port} 上启动：{error.strerror or error}。"
                        "端口可能已被占用，请用 --port 换一个端口（如 --port 8766）。") from None
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    url = f"http://{shown_host}:{server.effective_port}/"
    what = "县区报表自查页" if args.self_check_only else "工作台"
    console.print(f"{what}已启动：[bold]{esc(url)}[/]（按 Ctrl+C 停止）", soft_wrap=True)
    if token:
        console.print("访问时需要输入访问口令。", style="dim")
    if not is_loopback(args.host):
        named = "、".join(sorted(h for h in hosts if h not in LOOPBACK_NAMES))
        console.print(f"其他电脑可用这些名称或地址访问：{esc(named)}；其他名称一律拒绝（需要时用 --allow-host 添加）。",
                      style="dim", soft_wrap=True)
    if not args.no_browser:
        open_browser_soon(url)
    try:
        server.run()
    except KeyboardInterrupt:
        console.print("已停止。")
    finally:
        server.close()
    return Outcome.OK
