"""Signed macros for the city's control workbook: ``guishang excel sign``.

A signature can only be made on Windows, in Excel's VBA editor, with the city's code-signing certificate.
The city's IT does that once on a control workbook this tool wrote; ``sign`` then keeps that workbook's
``vbaProject.bin`` (re-saved by Excel, with compiled code) and ``vbaProjectSignature.bin`` in the workspace,
after checking that the project holds exactly our macros. Every later 市级控制台.xlsm is built with XlsxWriter's
signed-project support from those two parts, for as long as the macros of the installed version are the same;
when they change (a new version of the tool), the workbook is written unsigned and the run says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit import __version__
from toolkit.domain.stamp import FileKind, Stamp
from toolkit.ports.files import SignatureMismatch, SignedProject, UnreadableProject
from toolkit.ports.tools import tools
from toolkit.services.errors import UserError
from toolkit.services.workspace import STORE_DIR_NAME, Workspace

SIGNATURE_DIR_NAME = "宏签名"  # under 数据库/
PROJECT_FILE = "vbaProject.bin"
SIGNATURE_FILE = "vbaProjectSignature.bin"
INFO_FILE = "签名信息.json"


@dataclass(frozen=True)
class SignatureInfo:
    source: str  # the file the signature was taken from
    sha256: str  # of that file
    taken_at: str
    tool_version: str
    newer_signatures: tuple[str, ...]  # parts Excel also wrote that XlsxWriter cannot carry


def signature_dir(workspace: Workspace) -> Path:
    return workspace.root / STORE_DIR_NAME / SIGNATURE_DIR_NAME


def stored_signature(workspace: Workspace) -> SignedProject | None:
    folder = signature_dir(workspace)
    project, signature = folder / PROJECT_FILE, folder / SIGNATURE_FILE
    if not (project.is_file() and signature.is_file()):
        return None
    return SignedProject(project.read_bytes(), signature.read_bytes())


def stored_info(workspace: Workspace) -> SignatureInfo | None:
    path = signature_dir(workspace) / INFO_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return SignatureInfo(**{**data, "newer_signatures": tuple(data.get("newer_signatures", ()))})


def _problems_for_control_workbook(workspace: Workspace, signed: SignedProject) -> list[str]:
    """Build a control workbook with the signed project (into a temporary folder): the real check."""
    with tempfile.TemporaryDirectory(prefix="guishang-sign-") as work:
        try:
            tools().workbooks.write_control_workbook(Path(work) / "check.xlsm", Stamp(FileKind.CONTROL, "1", "", ""),
                                   region=workspace.policy().region, values={}, macros=True, signed=signed)
        except SignatureMismatch as mismatch:
            return mismatch.problems
    return []


def sign_control_workbook(workspace: Workspace, signed_workbook: Path) -> SignatureInfo:
    """Keep the signature of ``signed_workbook`` (a 市级控制台.xlsm signed in Excel's VBA editor)."""
    signed_workbook = Path(signed_workbook)
    if not signed_workbook.is_file():
        raise UserError(f"找不到文件“{signed_workbook}”。")
    data = signed_workbook.read_bytes()
    try:
        parts = tools().macros.signed_parts(data)
    except UnreadableProject:
        raise UserError(f"“{signed_workbook.name}”不是带宏的工作簿（.xlsm），或文件已损坏。") from None
    if parts.signature is None:
        raise UserError(f"“{signed_workbook.name}”中的宏没有数字签名。请在 Excel 中按 Alt+F11 打开 VBA 编辑器，"
                        f"点“工具 → 数字签名”选择本单位的代码签名证书，保存后再导入。")
    signed = SignedProject(parts.project, parts.signature)
    try:
        problems = _problems_for_control_workbook(workspace, signed)
    except UnreadableProject:
        raise UserError(f"“{signed_workbook.name}”中的宏工程无法读取（文件可能已损坏）。") from None
    if problems:
        raise UserError(f"“{signed_workbook.name}”中的宏与本版工具（guishang {__version__}）的不一致，未导入签名："
                        f"{'；'.join(problems)}。请对本版工具新生成的 市级控制台.xlsm 签名后再导入。")
    info = SignatureInfo(signed_workbook.name, hashlib.sha256(data).hexdigest(),
                         dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"), __version__, parts.newer_signatures)
    folder = signature_dir(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in ((PROJECT_FILE, signed.project), (SIGNATURE_FILE, signed.signature)):
        with tools().files.atomic_output(folder / name) as temp:
            temp.write_bytes(content)
    with tools().files.atomic_output(folder / INFO_FILE) as temp:
        temp.write_text(json.dumps({**info.__dict__, "newer_signatures": list(info.newer_signatures)},
                                   ensure_ascii=False, indent=1), encoding="utf-8")
    return info
