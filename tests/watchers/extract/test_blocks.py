"""Login walls and slider checks are told apart from real pages that merely mention them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchers.encoding import decode
from watchers.extract.blocks import detect_block

TAOBAO_PUNISH = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>验证码拦截</title>
<script>window._config_ = {"action":"captcha","HOST":"s.taobao.com",
"PX":"/_____tmd_____/punish"};</script></head><body>
<div id="nocaptcha" class="nc-container"><div id="nc_1_wrapper">
<span id="nc_1_n1z" class="nc_iconfont btn_slide">&#xe620;</span></div></div>
<div class="warnning-text">亲，请拖动下方滑块完成验证</div></body></html>"""

BAXIA_DIALOG = """<html><head><title>淘宝</title></head><body>
<div class="baxia-dialog" style="display:block"><div class="baxia-dialog-content">
<iframe src="https://s.taobao.com//search/_____tmd_____/punish?x5secdata=xd4f2&amp;x5step=1">
</iframe></div></div></body></html>"""

JD_RISK = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>京东验证</title></head>
<body><div id="app"><div class="JDJRV-wrap-jd-verify"><div class="JDJRV-slide-bg"></div>
<p>请完成安全验证</p></div></div></body></html>"""

TAOBAO_LOGIN = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>淘宝网 - 淘！我喜欢</title>
</head><body><div class="login-box"><form id="login-form" action="/newlogin/login.do">
<input name="fm-login-id" id="fm-login-id" placeholder="账号名/邮箱/手机号">
<input name="fm-login-password" id="fm-login-password" type="password">
<button type="submit">登录</button></form></div></body></html>"""

JD_LOGIN = """<html><head><title>京东-欢迎登录</title></head><body><form id="formlogin">
<input id="loginname" name="loginname"><input id="nloginpwd" type="password"></form>
</body></html>"""

HCAPTCHA_ONLY = """<html><head><title>One moment</title>
<script src="https://hcaptcha.com/1/api.js" async defer></script></head><body><form>
<div class="h-captcha" data-sitekey="10000000-ffff-ffff-ffff-000000000001"></div></form>
</body></html>"""

HUMAN_CHECK = "<html><body><h1>Please verify you are human</h1></body></html>"

# A real search page ships the baxia anti-bot script and a header login link: still content.
NORMAL_SEARCH = ("<html><head><title>背包_淘宝搜索</title>"
                 '<script src="//g.alicdn.com/secdev/baxia/2.1.12/baxiaCommon.js"></script>'
                 '<script>window.baxiaCommon && baxiaCommon.init({checkApiPath: "/punish"})'
                 "</script></head><body><a href='//login.taobao.com/member/login.jhtml'>亲，请登录"
                 "</a>" + "<div class='item'>防水背包 ¥128.00 300人付款</div>" * 400
                 + "</body></html>")


@pytest.mark.parametrize(("text", "url", "expected"), [
    (TAOBAO_PUNISH, "https://s.taobao.com/search?q=x", "captcha"),
    (BAXIA_DIALOG, "https://s.taobao.com/search?q=x", "captcha"),
    ("", "https://s.taobao.com//search/_____tmd_____/punish?x5secdata=ab", "captcha"),
    (JD_RISK, "https://search.jd.com/Search?keyword=x", "captcha"),
    ("<html></html>", "https://cfe.m.jd.com/privatedomain/risk_handler/03101900/?returnurl=x",
     "captcha"),
    (HCAPTCHA_ONLY, "https://shop.example/", "captcha"),
    (HUMAN_CHECK, "https://shop.example/", "captcha"),
    (TAOBAO_LOGIN, "https://s.taobao.com/search?q=x", "login"),
    ("<html></html>", "https://login.taobao.com/member/login.jhtml?redirectURL=https%3A%2F%2Fs",
     "login"),
    (JD_LOGIN, "https://passport.jd.com/new/login.aspx?ReturnUrl=x", "login"),
    (JD_LOGIN, "https://search.jd.com/Search?keyword=x", "login"),
    (NORMAL_SEARCH, "https://s.taobao.com/search?q=x", None),
    ("<html><body><p>Hello</p></body></html>", "https://shop.example/", None),
    ("", "", None),
], ids=["taobao-slider", "baxia-punish-dialog", "punish-url", "jd-risk-page", "jd-risk-url",
        "hcaptcha-only", "verify-human", "taobao-login-form", "taobao-login-redirect",
        "jd-passport-redirect", "jd-login-form-on-search-url", "search-referencing-baxia",
        "plain-page", "empty"])
def test_detect_block_names_what_stands_in_for_the_content(text: str, url: str,
                                                           expected: str | None) -> None:
    assert detect_block(text, url) == expected


@pytest.mark.realworld
def test_no_captured_real_page_is_mistaken_for_a_block(realworld: Path) -> None:
    # The keyboard item page holds hidden login iframes with x5sec/punish URLs: not a block.
    pages = sorted(p for p in realworld.rglob("*") if p.is_file() and p.suffix in (".html",
                                                                                   ".json"))
    assert len(pages) >= 8
    for page in pages:
        assert detect_block(decode(page.read_bytes()), "https://s.taobao.com/search") is None, \
            page.name


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=400), url=st.text(max_size=60))
def test_detect_block_never_raises(text: str, url: str) -> None:
    assert detect_block(text, url) in (None, "login", "captcha")
