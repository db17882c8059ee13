"""Page bytes decode to the right text: bytes win over a declared charset that lies."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchers.encoding import decode, normalise_charset, sniff_charset
from watchers.fetching import Document

ZH = "防水背包 大容量 ￥128.50 1.5万+人付款"


def _page(meta: str, body: str = ZH) -> str:
    return f"<html><head>{meta}<title>{body}</title></head><body><p>{body}</p></body></html>"


CASES = [
    pytest.param(_page('<meta charset="utf-8">').encode("gbk"), None,
                 id="gbk-bytes-with-lying-utf8-meta"),
    pytest.param(_page('<meta charset="gbk">').encode("utf-8"), "gbk",
                 id="utf8-bytes-declared-gbk-by-header-and-meta"),
    pytest.param(codecs.BOM_UTF16_BE + _page("").encode("utf-16-be"), "gbk",
                 id="utf16-be-with-bom"),
    pytest.param(codecs.BOM_UTF16_LE + _page("").encode("utf-16-le"), None,
                 id="utf16-le-with-bom"),
    pytest.param(codecs.BOM_UTF8 + _page("").encode("utf-8"), "iso-8859-1",
                 id="utf8-bom-beats-header"),
    pytest.param(_page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
                 .encode("gb18030"), None, id="http-equiv-gb2312-read-as-gb18030"),
    pytest.param(('<?xml version="1.0" encoding="GBK"?>' + _page("")).encode("gbk"), None,
                 id="xml-declaration-gbk"),
    pytest.param(_page("").encode("gbk"), None, id="undeclared-gbk-falls-back-to-gb18030"),
    pytest.param(_page("").encode("utf-16-le"), None, id="bomless-utf16-le"),
    pytest.param(_page('<meta charset="x-unknown-charset">').encode("gbk"), "bogus",
                 id="unknown-labels-ignored"),
]


@pytest.mark.parametrize(("body", "declared"), CASES)
def test_decode_recovers_the_text_whatever_the_label_says(body: bytes,
                                                          declared: str | None) -> None:
    text = decode(body, declared)
    assert f"<p>{ZH}</p>" in text
    assert "\ufeff" not in text and "\ufffd" not in text


def test_gb18030_only_characters_survive_a_gbk_label() -> None:
    # "𠀀" (U+20000) and the euro sign exist in GB18030 but not in GBK/GB2312.
    body = _page('<meta charset="gb2312">', "𠀀 €").encode("gb18030")
    assert "<p>𠀀 €</p>" in decode(body, "gb2312")


def test_a_declared_single_byte_charset_is_honoured_when_the_bytes_are_not_utf8() -> None:
    assert decode("<p>café</p>".encode("latin-1"), "ISO-8859-1") == "<p>café</p>"


def test_declared_big5_is_honoured() -> None:
    body = _page('<meta charset="big5">', "繁體中文 價格").encode("big5")
    assert "<p>繁體中文 價格</p>" in decode(body)


def test_undecodable_bytes_come_back_with_replacement_characters() -> None:
    assert decode(b"ok \xff\xff\xff\x80", None).startswith("ok ")


def test_document_text_uses_the_header_charset_only_as_a_hint() -> None:
    doc = Document(url="https://x.example/", body=ZH.encode("utf-8"),
                   headers={"content-type": "text/html; charset=GBK"})
    assert doc.declared_charset == "gbk"
    assert doc.text == ZH


@pytest.mark.parametrize(("label", "codec"), [
    ("GBK", "gb18030"), ("gb2312", "gb18030"), ("UTF8", "utf-8"), ('"Big5"', "big5"),
    ("nonsense", None), (None, None), ("", None),
], ids=["gbk", "gb2312", "utf8", "quoted-big5", "unknown", "none", "empty"])
def test_charset_labels_normalise_to_python_codecs(label: str | None,
                                                   codec: str | None) -> None:
    assert normalise_charset(label) == codec


def test_sniffing_reads_only_the_head_of_the_page() -> None:
    late = b"<html>" + b" " * 5000 + b'<meta charset="gbk">'
    assert sniff_charset(late) is None
    assert sniff_charset(b'<meta charset=\'GB2312\'>') == "GB2312"


@pytest.mark.realworld
@pytest.mark.parametrize(("name", "length", "needle"), [
    ("taobao_search_2026_spa_shell_utf16.html", 28_126, "<title>淘宝搜索</title>"),
    ("tmall_item_iphone11pro_gbk.html", None,
     "<title>【6期免息/春节正常发货】Apple/苹果 iPhone 11 pro全网通智能4G苹果11正品手机xs官方官网"
     "旗舰店X 11promax-tmall.com天猫</title>"),
    ("taobao_item_keyboard_case.html", None,
     "<title>乳白亚克力外壳 60%键盘外壳 poker外壳无加强筋底壳透光外壳-淘宝网</title>"),
    ("jd_search_123.html", None, "<title>123 - 商品搜索 - 京东</title>"),
], ids=["utf16le-bom-shell", "gbk-tmall", "utf8-lying-gbk-meta", "utf8-bom-jd"])
def test_real_pages_decode_to_their_titles(realworld: Path, name: str, length: int | None,
                                           needle: str) -> None:
    body = (realworld / "html-cn" / name).read_bytes()
    text = decode(body, None)
    assert needle in text
    assert not text.startswith("\ufeff")
    if length is not None:
        assert len(text) == length


@pytest.mark.realworld
def test_real_gbk_page_is_not_valid_utf8_but_decodes_cleanly(realworld: Path) -> None:
    body = (realworld / "html-cn" / "tmall_item_iphone11pro_gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "\ufffd" not in decode(body, "gbk")


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=400), declared=st.one_of(st.none(), st.text(max_size=20)))
def test_decode_never_raises(body: bytes, declared: str | None) -> None:
    assert isinstance(decode(body, declared), str)
