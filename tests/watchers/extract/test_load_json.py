"""load_json and json_loads read with orjson where they can: the answer is the stdlib's,
body for body."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchers.extract.support import NotJson, json_loads, load_json
from watchers.fetching import Document

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _doc(body: bytes, charset: str | None = None) -> Document:
    headers = {"content-type": f"application/json; charset={charset}"} if charset else {}
    return Document(url="https://peer.test/products.json", body=body, status=200,
                    headers=headers)


def _stdlib(body: bytes, charset: str | None = None) -> Any:
    """What load_json answered before orjson: the decoded text through json.loads."""
    text = _doc(body, charset).text.lstrip("\ufeff").strip()
    if not text or text[0] not in "[{":
        return NotJson
    try:
        return json.loads(text)
    except ValueError:
        return NotJson


def _ours(body: bytes, charset: str | None = None) -> Any:
    try:
        return load_json(_doc(body, charset))
    except NotJson:
        return NotJson


def _same(a: Any, b: Any) -> bool:
    # == alone takes 1 for 1.0 and nan for nothing: compare the types and the text too.
    return repr(a) == repr(b) and type(a) is type(b)


CASES = [
    ("integer_beyond_64_bits", b'{"id": 18446744073709551616}'),
    ("negative_beyond_64_bits", b'{"id": -9223372036854775809}'),
    ("integer_at_the_edge", b'{"id": 18446744073709551615, "n": -9223372036854775808}'),
    ("a_long_digit_run_in_a_string", b'{"src": "https://cdn.test/12345678901234567890.jpg"}'),
    ("nan_and_infinity", b'{"a": NaN, "b": Infinity, "c": -Infinity}'),
    ("overflowing_float", b'[1e400, -1e400, 0.1e-400]'),
    ("lone_surrogate", b'{"t": "\\ud800"}'),
    ("surrogate_pair", b'{"t": "\\ud83d\\ude00"}'),
    ("bom", b'\xef\xbb\xbf{"a": 1}'),
    ("form_feed_around", b'\x0c{"a": 1}\x0c'),
    ("no_break_space_around", '\u00a0{"a": 1}\u00a0'.encode()),
    ("gbk", '{"title": "牛仔裤"}'.encode("gbk")),
    ("utf16", '{"title": "牛仔裤"}'.encode("utf-16")),
    ("bare_string", b'"products"'),
    ("bare_number", b"42"),
    ("empty", b""),
    ("html", b"<html><body>Password</body></html>"),
    ("duplicate_keys", b'{"a": 1, "a": 2}'),
    ("float_forms", b"[1.0, 1E5, -0.0, 1.0000000000000002, 5e-324]"),
    ("cut_short", b'{"products": [{"id": 1'),
    ("deep", b"[" * 2000 + b"]" * 2000),
]


@pytest.mark.parametrize("body", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_the_same_answer_as_the_stdlib(body: bytes) -> None:
    try:
        expected = _stdlib(body)
    except RecursionError:
        with pytest.raises(RecursionError):
            _ours(body)
        return
    assert _same(_ours(body), expected)


def test_a_body_in_a_declared_charset() -> None:
    body = '{"title": "Café"}'.encode("latin-1")
    assert _same(_ours(body, "iso-8859-1"), _stdlib(body, "iso-8859-1"))
    assert _ours(body, "iso-8859-1") == {"title": "Café"}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(value=JSON, indent=st.sampled_from([None, 1]), ascii_only=st.booleans())
def test_any_json_reads_as_the_stdlib_reads_it(value: Any, indent: int | None,
                                                ascii_only: bool) -> None:
    body = json.dumps(value, indent=indent, ensure_ascii=ascii_only).encode("utf-8",
                                                                          "surrogatepass")
    assert _same(_ours(body), _stdlib(body))


def _stdlib_loads(data: str | bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return NotJson


def _our_loads(data: str | bytes) -> Any:
    try:
        return json_loads(data)
    except ValueError:
        return NotJson


@pytest.mark.parametrize("body", [c[1] for c in CASES if c[0] != "deep"],
                         ids=[c[0] for c in CASES if c[0] != "deep"])
def test_json_loads_reads_text_and_bytes_as_the_stdlib(body: bytes) -> None:
    assert _same(_our_loads(body), _stdlib_loads(body))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return  # text is what the store hands over: always decoded already
    assert _same(_our_loads(text), _stdlib_loads(text))


def test_json_loads_of_a_lone_surrogate_in_text() -> None:
    assert _same(_our_loads('{"t": "\ud800"}'), {"t": "\ud800"})


@FUZZ
@given(value=JSON, ascii_only=st.booleans())
def test_json_loads_of_any_stored_json(value: Any, ascii_only: bool) -> None:
    # As the store writes it (sort_keys, compact); NaN and infinities included.
    text = json.dumps(value, ensure_ascii=ascii_only, sort_keys=True, separators=(",", ":"))
    assert _same(_our_loads(text), _stdlib_loads(text))


@pytest.mark.parametrize("raw", [
    '{"@type": "Product", "gtin": 12345678901234567890123, "sku": 9007199254740993}',
    '{"@type": "Product", "offers": {"price": 1e400}}',
    '{"@type": "Product", "name": "\\ud800 alone"}',
])
def test_a_json_ld_block_reads_as_the_stdlib_reads_it(raw: str) -> None:
    # orjson turns an integer beyond 64 bits into a float: the block must keep its digits.
    from watchers.extract.ld_blocks import load_block

    assert repr(load_block(raw)) == repr(json.loads(raw))
