"""The operator's cookies.txt: what is kept, and how a broken file is reported."""

from __future__ import annotations

from http.cookiejar import Cookie
from pathlib import Path

import pytest

from monitor.fetch.cookies import load_cookies_txt

FAR = "2000000000"  # 2033: not expired while these tests live


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "cookies.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def by_name(path: Path) -> dict[str, Cookie]:
    return {c.name: c for c in load_cookies_txt(path)}


def test_session_cookie_with_expiry_zero_is_kept_as_session_cookie(tmp_path: Path) -> None:
    path = write(tmp_path, "# Netscape HTTP Cookie File",
                 ".taobao.com\tTRUE\t/\tTRUE\t0\tcookie2\tabc123")
    [cookie] = list(load_cookies_txt(path))
    assert (cookie.name, cookie.value, cookie.domain) == ("cookie2", "abc123", ".taobao.com")
    assert cookie.expires is None
    assert cookie.discard
    assert cookie.secure


def test_httponly_lines_are_cookies_and_comments_and_blanks_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "# Netscape HTTP Cookie File", "# exported by an extension", "",
                 f"#HttpOnly_.jd.com\tTRUE\t/\tFALSE\t{FAR}\tthor\tsecret",
                 f"www.jd.com\tFALSE\t/cart\tFALSE\t{FAR}\tcart\t1", "   ")
    cookies = by_name(path)
    assert sorted(cookies) == ["cart", "thor"]
    thor, cart = cookies["thor"], cookies["cart"]
    assert thor.has_nonstandard_attr("HttpOnly")
    assert thor.expires == int(FAR)
    assert (cart.domain, cart.path, cart.domain_specified) == ("www.jd.com", "/cart", False)


def test_file_without_magic_header_and_with_empty_value_loads(tmp_path: Path) -> None:
    path = write(tmp_path, f".example.com\tTRUE\t/\tFALSE\t{FAR}\tempty\t")
    [cookie] = list(load_cookies_txt(path))
    assert (cookie.name, cookie.value) == ("empty", "")


def test_subdomain_flag_without_leading_dot_still_covers_subdomains(tmp_path: Path) -> None:
    path = write(tmp_path, f"example.com\tTRUE\t/\tFALSE\t{FAR}\tsid\tx")
    [cookie] = list(load_cookies_txt(path))
    assert cookie.domain == ".example.com"
    assert cookie.domain_specified


@pytest.mark.parametrize("line, says", [
    ("just some words", "7 tab-separated fields"),
    (f".a.com\tMAYBE\t/\tFALSE\t{FAR}\tn\tv", "include-subdomains"),
    (f".a.com\tTRUE\t/\tyes\t{FAR}\tn\tv", "secure"),
    (".a.com\tTRUE\t/\tFALSE\tsoon\tn\tv", "expiry"),
    (f"\tTRUE\t/\tFALSE\t{FAR}\tn\tv", "empty domain"),
], ids=["too-few-fields", "bad-subdomain-flag", "bad-secure-flag", "bad-expiry", "no-domain"])
def test_broken_line_names_file_and_line(tmp_path: Path, line: str, says: str) -> None:
    path = write(tmp_path, "# Netscape HTTP Cookie File", "",
                 f".ok.com\tTRUE\t/\tFALSE\t{FAR}\tfine\t1", line)
    with pytest.raises(ValueError) as caught:
        load_cookies_txt(path)
    message = str(caught.value)
    assert str(path) in message
    assert "line 4" in message
    assert says in message


def test_missing_file_is_a_value_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.txt"
    with pytest.raises(ValueError, match=r"absent\.txt"):
        load_cookies_txt(path)
