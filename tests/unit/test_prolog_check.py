"""The archive check's XML prolog test: the shortcut for parts as office programs write them decides exactly as
defusedxml does on any opening (hypothesis), and real workbooks' parts take the shortcut."""

from __future__ import annotations


from defusedxml import DTDForbidden
from defusedxml import ElementTree as SafeTree
from defusedxml.ElementTree import DefusedXMLParser
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, examples, plain_openings
from toolkit.adapters import workbook_file as W


DECLARATIONS = ["", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                "<?xml version='1.0' encoding='utf8'?>", '<?xml version="1.0" encoding="ISO-8859-1"?>',
                '<?xml version="1.0" encoding="UTF-16"?>', '<?xml version="1.0" encoding="GB2312"?>',
                '<?xml version="1.0" note="?>" encoding="UTF-8"?>', '<?xml  version="1.0"\r\n?>', "<?xmlx?>"]
BETWEEN = ["", " ", "\r\n", "\t ", "<!-- 说明 -->", "<?pi data?>", '<!DOCTYPE sst [<!ENTITY a "aaaa">]>',
           '<!DOCTYPE sst SYSTEM "file:///etc/passwd">', "<!doctype sst>", "<![CDATA[x]]>", "<!", "x"]
ROOTS = ["<sst>&a;</sst>", '<worksheet xmlns="urn:x"><sheetData/></worksheet>', "<_a/>", "<:b/>", "<表/>", "<1a/>",
         "< a/>", ""]


def _outcome(feed) -> str:
    try:
        feed()
    except Exception as error:  # noqa: BLE001 - what the archive check then meets (e.g. an encoding expat lacks)
        return type(error).__name__
    return "ok"


def _defused_alone(data: bytes) -> str:
    """What defusedxml's parser, fed the same bytes, makes of them (the reference)."""
    parser = DefusedXMLParser(target=W._StopAtFirstElement(), forbid_dtd=True)

    def feed():
        try:
            parser.feed(data)
        except (W._FirstElement, SafeTree.ParseError):  # the first element, or not well-formed: not refused
            return

    outcome = _outcome(feed)
    return "refused" if outcome == DTDForbidden.__name__ else outcome


@settings(max_examples=examples(400), deadline=None)
@given(bom=st.booleans(), declaration=st.sampled_from(DECLARATIONS), lead=st.sampled_from(BETWEEN),
       middle=st.lists(st.sampled_from(BETWEEN), max_size=3), root=st.sampled_from(ROOTS),
       encoding=st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_the_shortcut_decides_as_defusedxml(bom, declaration, lead, middle, root, encoding):
    text = declaration + lead + "".join(middle) + root
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    assume(data)  # the archive check feeds chunks that hold something
    check = W._PrologCheck()
    outcome = _outcome(lambda: check.feed(data))
    if outcome == "ok":  # undecided (an opening cut short) is not refused, as in the archive check
        outcome = "refused" if check.refused else "ok"
        assert check.decided or check.parser is not None
    assert outcome == _defused_alone(data)
    if "<!" in text or "<?pi" in text or encoding == "utf-16":
        assert check.parser is not None  # anything but the plain opening is parsed


def test_a_doctype_is_still_refused_by_defusedxml(monkeypatch):
    """With defusedxml allowing DTDs, an opening with one is no longer refused: the refusal is defusedxml's."""
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [<!ENTITY a "aaaa">]><sst>&a;</sst>'
    check = W._PrologCheck()
    check.feed(data)
    assert check.refused
    monkeypatch.setattr(W, "DefusedXMLParser", lambda **kw: DefusedXMLParser(
        target=kw["target"], forbid_dtd=False, forbid_entities=False, forbid_external=False))
    check = W._PrologCheck()
    check.feed(data)
    assert check.decided and not check.refused


def test_parts_as_this_program_writes_them_take_the_shortcut():
    """The shipped samples' parts (LibreOffice's: tests/office) are decided without a parser: were that not so,
    the shortcut would be dead code."""
    assert sum(plain_openings(path) for path in sorted(SAMPLES.rglob("*.xlsx"))[:6]) > 50
