"""Putting the macro workbooks to work on office PCs: ``guishang excel setup`` and ``guishang excel bundle``.

The xlwings VBA module inside our .xlsm files declares the DLL of its exact version
(``xlwings64-0.37.8.dll``), so the Python side must have exactly that xlwings: the version is pinned in
setup.cfg, checked here and again by every button (``toolkit.excel.runner.version_problem``).
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import olefile

from toolkit import __version__
from toolkit.ports.tools import tools
from toolkit.resources import SHIPPED, resource_path
from toolkit.services.errors import UserError

DISTRIBUTION = "guishang-toolkit"
WINDOWS_PLATFORM = "win_amd64"
_VERSION_RE = re.compile(rb'XLWINGS_VERSION As String = "([0-9.]+)"')


def pinned_xlwings() -> str:
    """The xlwings version guishang is built for (``xlwings==`` in setup.cfg)."""
    for requirement in metadata.requires(DISTRIBUTION) or ():
        match = re.match(r"xlwings\s*==\s*([0-9.]+)", requirement)
        if match:
            return match.group(1)
    raise UserError("安装信息中没有 xlwings 的固定版本，请重新安装 guishang。")


def installed_xlwings() -> str | None:
    try:
        return metadata.version("xlwings")
    except metadata.PackageNotFoundError:
        return None


def workbook_xlwings(path: Path) -> str:
    """The xlwings version the VBA of a macro workbook expects (read from its ``xlwings`` module)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            project = archive.read("xl/vbaProject.bin")
        ole = olefile.OleFileIO(io.BytesIO(project))
        try:
            source = tools().macros.decompress(ole.openstream("VBA/xlwings").read())
        finally:
            ole.close()
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        raise UserError(f"“{path.name}”不是带 xlwings 宏的工作簿（.xlsm），无法读取其 xlwings 版本。") from None
    match = _VERSION_RE.search(source)
    if not match:
        raise UserError(f"“{path.name}”的宏中没有 xlwings 版本信息。")
    return match.group(1).decode("ascii")


@dataclass(frozen=True)
class Check:
    item: str
    ok: bool | None  # None: not applicable on this system
    detail: str


def checks(workbooks: list[Path] = (), *, platform: str = sys.platform) -> list[Check]:
    out = [Check("Python", sys.version_info >= (3, 11), f"{sys.version.split()[0]}（{sys.executable}）"),
           Check("guishang", True, __version__)]
    pinned, installed = pinned_xlwings(), installed_xlwings()
    out.append(Check("xlwings", installed == pinned,
                     f"已安装 {installed or '无'}，应为 {pinned}" + ("" if installed == pinned else
                                                                 "：请用离线安装包重新安装（pip install xlwings==" + pinned + "）")))
    if platform == "win32":
        has_pywin32 = importlib.util.find_spec("win32com") is not None  # how xlwings talks to Excel
        out.append(Check("pywin32", has_pywin32, "已安装" if has_pywin32 else
                         "未安装：xlwings 需要它与 Excel 通信，请用离线安装包安装"))
        dlls = sorted(Path(sys.prefix).glob(f"xlwings*-{installed}.dll")) if installed else []
        out.append(Check("xlwings DLL", bool(dlls), ", ".join(d.name for d in dlls) or f"在 {sys.prefix} 中未找到"))
    else:
        out.append(Check("Excel 按钮", None, "只在 Windows（和 macOS）的 Excel 中运行；本机可使用命令行"))
    for path in workbooks:
        try:
            expected = workbook_xlwings(path)
            out.append(Check(Path(path).name, expected == installed,
                             f"宏需要 xlwings {expected}" + ("" if expected == installed else
                                                           f"，与已安装的 {installed} 不一致：请向市里索取新版工作簿或重装")))
        except UserError as error:
            out.append(Check(Path(path).name, False, str(error)))
    return out


def config_path(directory: Path | None = None) -> Path:
    """Where xlwings' VBA reads its settings: ``xlwings.conf`` beside the workbook (``directory``), or the
    user's ``%USERPROFILE%\\.xlwings\\xlwings.conf``."""
    if directory is not None:
        return Path(directory) / "xlwings.conf"
    return Path.home() / ".xlwings" / "xlwings.conf"


def _config_encoding() -> str:
    """VBA's ``Input #`` reads the file in the system's ANSI code page (GBK on Chinese Windows)."""
    return "mbcs" if sys.platform == "win32" else "gb18030"


def write_interpreter(target: Path, interpreter: str | None = None) -> Path:
    """Set INTERPRETER_WIN in an xlwings.conf file, keeping its other lines, written atomically."""
    interpreter = interpreter or sys.executable
    encoding = _config_encoding()
    lines = []
    if target.exists():
        lines = [line for line in target.read_text(encoding=encoding).splitlines()
                 if not line.upper().startswith('"INTERPRETER_WIN"')]
    lines.insert(0, f'"INTERPRETER_WIN","{interpreter}"')
    try:
        with tools().files.atomic_output(target) as temp:
            temp.write_text("\r\n".join(lines) + "\r\n", encoding=encoding)
    except UnicodeEncodeError:
        raise UserError(f"Python 的路径“{interpreter}”含有本机代码页无法表示的字符，"
                        f"请把 Python 安装到只含中英文的路径后再运行。") from None
    return target


# --- the offline bundle --------------------------------------------------------------------------------
# The Python versions the README's 安装 promises for Windows PCs (xlwings 0.37.8 requires 3.11 or newer): one
# bundle carries the wheels of all of them.
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")

INSTALL_SCRIPT = "\r\n".join((
    "@echo off",
    "rem guishang offline install: double-click this file on the Windows PC (64-bit Python 3.11, 3.12 or 3.13 first).",
    "rem It installs from the wheels folder beside it only (--no-index): no internet is used.",
    "setlocal",
    "set HERE=%~dp0",
    "python --version || (echo Python not found. Install 64-bit Python 3.11, 3.12 or 3.13 first, see the txt file."
    " & pause & exit /b 1)",
    'python -m pip install --upgrade --no-index --find-links "%HERE%wheels" guishang-toolkit || (pause & exit /b 1)',
    "python -m toolkit --version",
    "python -m toolkit excel setup",
    "pause",
    "",
))


WORKBENCH_SCRIPT_NAME = "启动工作台.bat"
WORKBENCH_SCRIPT = "\r\n".join((
    "@echo off",
    "rem guishang browser workbench: copy this file into the city's workspace folder (the one holding the policy",
    "rem workbook and the database folder) and double-click it. The browser opens by itself; keep this window open",
    "rem while working and close it to stop. Only this computer can reach the pages (127.0.0.1).",
    "setlocal",
    'cd /d "%~dp0"',
    "python -m toolkit serve %*",
    "if errorlevel 1 pause",
    "",
))


def bundle_notes(python_versions: tuple[str, ...], untested: dict[str, list[tuple[str, str, str]]]) -> str:
    versions = "、".join(python_versions)
    differing = ["", "以下组件在个别 Python 版本上没有本机测试过的版本，已改用该版本可用的最新版：", *describe_untested(untested)]
    return "\n".join((
        "规上工业企业培育工具（guishang）离线安装说明",
        "",
        f"本文件夹用于不能访问互联网的电脑，适用于 64 位 Windows 和 Python {versions}（任选其一）。",
        f"包含 guishang {__version__} 及其全部依赖（含 xlwings {pinned_xlwings()} 和 pywin32），安装时不连网。",
        "",
        f"1. 先安装 64 位 Python（{versions} 之一）：使用信息科提供的安装程序，安装时勾选“Add python.exe to PATH”。",
        "2. 双击本文件夹中的 install.bat：它从 wheels 文件夹离线安装（已装旧版的会升级），显示版本号，"
        "然后运行 guishang excel setup 检查并配置 Excel。",
        "3. 看到各项检查为“通过”即可。打开带宏的工作簿（.xlsm）前：从邮件、聊天软件或网页得到的文件，"
        "先在文件“属性”中勾选“解除锁定”，或放到受信任位置；详见文档《在 Excel 中使用：安装、宏信任和签名》（docs/Excel安装与宏信任.md）。",
        "",
        "不使用宏的单位无需安装：用 .xlsx 报表照常填报即可。按钮无法使用时，同样的操作可在命令行中完成"
        "（在“命令提示符”中运行 guishang --help 查看）。",
        "",
        f"浏览器工作台：把本文件夹中的“{WORKBENCH_SCRIPT_NAME}”复制到市级工作区文件夹（含“政策参数.xlsx”和“数据库”的文件夹）中，"
        "双击即在浏览器中打开工作台（报送情况、收件箱、汇总、认定、公文、奖励、政策参数和县区自查），不需要 Excel，"
        "WPS 或没有宏的电脑也能用；使用期间不要关闭弹出的黑色窗口。",
        *(differing if untested else ()),
        "",
    ))


def project_root() -> Path | None:
    """The source tree guishang runs from, if it runs from one (a developer's checkout or an editable install)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "setup.cfg").exists() and (root / "toolkit").is_dir() else None


def requirements() -> list[str]:
    """guishang's run-time requirements, plus pywin32 which xlwings needs on Windows only."""
    reqs = [r.split(";")[0].strip() for r in metadata.requires(DISTRIBUTION) or () if "extra ==" not in r]
    return reqs + ["pywin32"]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def tested_versions() -> dict[str, str]:
    """The installed version of every package guishang needs, directly or not: the bundle carries exactly
    the versions this machine runs (and its tests ran with). A Windows-only package that is not installed
    here (pywin32) stays unpinned."""
    versions: dict[str, str] = {}
    todo = [DISTRIBUTION]
    while todo:
        for requirement in metadata.requires(todo.pop()) or ():
            if "extra ==" in requirement:
                continue
            name = re.match(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", requirement).group(0)
            if _canonical(name) in versions or _canonical(name) == _canonical(DISTRIBUTION):
                continue
            try:
                versions[_canonical(name)] = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
            todo.append(name)
    return versions


def missing_resources(wheel: Path, *, same_bytes: bool = False) -> list[str]:
    """The run-time files (toolkit.resources.SHIPPED, as installed here) that a guishang wheel lacks (or, with
    ``same_bytes``, carries with other content: for a wheel of the very version that runs)."""
    base = resource_path(".")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        missing = []
        for pattern in SHIPPED:
            expected = sorted(base.glob(pattern))
            if not expected:
                missing.append(f"toolkit/resources/{pattern}")
            for path in expected:
                name = "toolkit/resources/" + path.relative_to(base).as_posix()
                if name not in names or (same_bytes and archive.read(name) != path.read_bytes()):
                    missing.append(name)
    return missing


@dataclass(frozen=True)
class Bundle:
    folder: Path
    files: list[Path]  # the wheels, install.bat, 启动工作台.bat and the notes
    python_versions: tuple[str, ...]  # each checked: every requirement resolves from the wheels alone
    # per Python version, the packages whose tested version has no Windows wheel for it: (name, taken, tested)
    untested: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    @property
    def wheels(self) -> list[Path]:
        return [p for p in self.files if p.suffix == ".whl"]


def make_bundle(out: Path, *, python_versions: tuple[str, ...] = PYTHON_VERSIONS, wheel: Path | None = None,
                pip: list[str] | None = None) -> Bundle:
    """Wheels for 64-bit Windows (binary only) of guishang and everything it needs, for each Python version,
    an install script and notes; then proof that each version installs from the folder alone.

    The versions tested here are taken wherever they exist for that Python; where one does not (a newer
    release that dropped an older Python), pip's choice is taken and named in ``Bundle.untested``."""
    out = Path(out)
    wheels = out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pip = pip or [sys.executable, "-m", "pip"]
    _add_guishang_wheel(wheels, wheel, pip)
    tested = tested_versions()
    untested: dict[str, list[tuple[str, str, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="guishang-bundle-") as work:
        constraints = Path(work) / "constraints.txt"
        constraints.write_text("".join(f"{name}=={version}\n" for name, version in sorted(tested.items())),
                               encoding="utf-8")
        for version in python_versions:
            download = ["download", "--quiet", *_windows(version), "--dest", str(wheels), *requirements()]
            if not _pip_ok(pip, *download, "--constraint", str(constraints)):
                _pip(pip, "下载 Windows 安装包失败（需要能访问 Python 软件包索引）", *download)
            report = Path(work) / f"report-{version}.json"
            _pip(pip, f"离线安装包不完整：Python {version} 无法只用其中的文件完成安装",
                 "install", "--dry-run", "--quiet", "--no-index", "--find-links", str(wheels), *_windows(version),
                 "--target", str(Path(work) / f"target-{version}"), "--report", str(report), DISTRIBUTION)
            chosen = {_canonical(item["metadata"]["name"]): item["metadata"]["version"]
                      for item in json.loads(report.read_text(encoding="utf-8"))["install"]}
            differing = [(name, chosen[name], tested[name]) for name in sorted(chosen)
                         if name in tested and chosen[name] != tested[name]]
            if differing:
                untested[version] = differing
    script = out / "install.bat"
    with tools().files.atomic_output(script) as temp:
        temp.write_bytes(INSTALL_SCRIPT.encode("ascii"))
    starter = out / WORKBENCH_SCRIPT_NAME
    with tools().files.atomic_output(starter) as temp:
        temp.write_bytes(WORKBENCH_SCRIPT.encode("ascii"))
    notes = out / "安装说明.txt"
    with tools().files.atomic_output(notes) as temp:
        temp.write_text(bundle_notes(tuple(python_versions), untested), encoding="utf-8-sig")  # Notepad: UTF-8 + BOM
    return Bundle(out, sorted(wheels.glob("*.whl")) + [script, starter, notes], tuple(python_versions), untested)


def describe_untested(untested: dict[str, list[tuple[str, str, str]]]) -> list[str]:
    return [f"Python {version}：" + "，".join(f"{name} {taken}（本机测试的是 {tested}）" for name, taken, tested in items)
            for version, items in untested.items()]


def _windows(python_version: str) -> list[str]:
    return ["--platform", WINDOWS_PLATFORM, "--python-version", python_version, "--implementation", "cp",
            "--only-binary=:all:"]


def _add_guishang_wheel(wheels: Path, wheel: Path | None, pip: list[str]) -> Path:
    """guishang's own wheel: the one given (e.g. the file it was installed from), or built from the source
    tree this runs from; refused when it lacks a run-time file."""
    for old in wheels.glob("guishang_toolkit-*.whl"):
        old.unlink()  # one guishang in the bundle: pip would otherwise pick the newest, not this one
    if wheel is not None:
        wheel = Path(wheel)
        if not (wheel.is_file() and wheel.name.startswith("guishang_toolkit-") and wheel.suffix == ".whl"):
            raise UserError(f"“{wheel}”不是 guishang 的安装文件（应为 guishang_toolkit-版本-py3-none-any.whl）。")
        target = wheels / wheel.name
        shutil.copyfile(wheel, target)
    else:
        root = project_root()
        if root is None:
            raise UserError("生成离线安装包需要 guishang 的安装文件：请用 --wheel 指定 guishang_toolkit-….whl"
                            "（即本机安装时所用的文件）。")
        _pip(pip, "生成 guishang 安装文件失败", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(root))
        target = next(wheels.glob("guishang_toolkit-*.whl"))
    missing = missing_resources(target)
    if missing:
        target.unlink()
        raise UserError(f"guishang 安装文件“{target.name}”缺少运行所需的文件：{'、'.join(missing)}。请重新生成安装文件。")
    return target


def _pip_ok(pip: list[str], *args: str) -> bool:
    return subprocess.run([*pip, *args], capture_output=True, text=True).returncode == 0


def _pip(pip: list[str], failure: str, *args: str) -> None:
    done = subprocess.run([*pip, *args], capture_output=True, text=True)
    if done.returncode:
        raise UserError(f"{failure}：{_last_line(done.stderr)}")


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("WARNING: Location")]
    return lines[-1] if lines else "未知原因"
