"""Putting the macro workbooks to work on office PCs: ``guishang excel setup`` and ``guishang excel bundle``.

The xlwings VBA module inside our .xlsm files declares the DLL of its exact version
(``xlwings64-0.37.8.dll``), so the Python side must have exactly that xlwings: the version is pinned in
setup.cfg, checked here and again by every button (``toolkit.excel.runner.version_problem``).
"""

from __future__ import annotations

import importlib.util
import io
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import olefile

from toolkit import __version__
from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.vba.compression import decompress
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
            source = decompress(ole.openstream("VBA/xlwings").read())
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
    out = [Check("Python", sys.version_info >= (3, 10), f"{sys.version.split()[0]}（{sys.executable}）"),
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
        with atomic_output(target) as temp:
            temp.write_text("\r\n".join(lines) + "\r\n", encoding=encoding)
    except UnicodeEncodeError:
        raise UserError(f"Python 的路径“{interpreter}”含有本机代码页无法表示的字符，"
                        f"请把 Python 安装到只含中英文的路径后再运行。") from None
    return target


# --- the offline bundle --------------------------------------------------------------------------------
INSTALL_SCRIPT = "\r\n".join((
    "@echo off",
    "rem guishang offline install: run this file by double-click on the Windows PC (Python 3.11 installed first).",
    "setlocal",
    "set HERE=%~dp0",
    "python --version || (echo Python not found. Install Python 3.11 first, see the txt file. & pause & exit /b 1)",
    'python -m pip install --no-index --find-links "%HERE%wheels" guishang-toolkit || (pause & exit /b 1)',
    "guishang excel setup",
    "pause",
    "",
))


def bundle_notes(python_version: str) -> str:
    return "\n".join((
        "规上工业企业培育工具（guishang）离线安装说明",
        "",
        f"本文件夹用于没有互联网（无法访问 Python 软件包索引）的电脑，适用于 64 位 Windows 和 Python {python_version}。",
        "",
        f"1. 先安装 Python {python_version}（64 位）：使用信息科提供的安装程序，安装时勾选“Add python.exe to PATH”。",
        "2. 双击本文件夹中的 install.bat：它从 wheels 文件夹离线安装 guishang 及其依赖（含 xlwings "
        f"{pinned_xlwings()} 和 pywin32），然后运行 guishang excel setup 检查并配置 Excel。",
        "3. 看到各项检查为“通过”即可。打开带宏的工作簿（.xlsm）时如提示“已禁用宏”，请点“启用内容”；"
        "从邮件或网页下载的文件需先在文件“属性”中勾选“解除锁定”，或放到受信任位置（见 README“在 Excel 中使用”）。",
        "",
        "不使用宏的单位无需安装：用 .xlsx 报表照常填报即可。",
        "",
    ))


def project_root() -> Path:
    """The source tree guishang was installed from (the bundle builds guishang's own wheel from it)."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "setup.cfg").exists():
        raise UserError("离线安装包需在 guishang 的源代码目录中生成（找不到 setup.cfg）。")
    return root


def requirements() -> list[str]:
    """guishang's run-time requirements, plus pywin32 which xlwings needs on Windows only."""
    reqs = [r.split(";")[0].strip() for r in metadata.requires(DISTRIBUTION) or () if "extra ==" not in r]
    return reqs + ["pywin32"]


def make_bundle(out: Path, *, python_version: str = "3.11", pip: list[str] | None = None) -> list[Path]:
    """Wheels for Windows (binary only) of guishang and everything it needs, an install script and notes."""
    out = Path(out)
    wheels = out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pip = pip or [sys.executable, "-m", "pip"]
    build = subprocess.run([*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(project_root())],
                           capture_output=True, text=True)
    if build.returncode:
        raise UserError("生成 guishang 安装包失败：" + _last_line(build.stderr))
    download = subprocess.run([*pip, "download", "--quiet", "--platform", WINDOWS_PLATFORM, "--python-version",
                               python_version, "--implementation", "cp", "--only-binary=:all:", "--dest", str(wheels),
                               *requirements()], capture_output=True, text=True)
    if download.returncode:
        raise UserError("下载 Windows 安装包失败（需要能访问 Python 软件包索引）：" + _last_line(download.stderr))
    script = out / "install.bat"
    with atomic_output(script) as temp:
        temp.write_bytes(INSTALL_SCRIPT.encode("ascii"))
    notes = out / "安装说明.txt"
    with atomic_output(notes) as temp:
        temp.write_text(bundle_notes(python_version), encoding="utf-8-sig")  # Notepad shows UTF-8 with a BOM
    return sorted(wheels.glob("*.whl")) + [script, notes]


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("WARNING: Location")]
    return lines[-1] if lines else "未知原因"
