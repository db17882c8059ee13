"""Recognising pages that stand in for the content asked for: login walls and slider checks."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# Hosts that only ever serve sign-in pages: a read that ends there was redirected to log in.
_LOGIN_HOSTS = (
    "login.taobao.com", "login.tmall.com", "login.m.taobao.com", "passport.taobao.com",
    "passport.jd.com", "plogin.m.jd.com", "passport.tmall.com", "login.1688.com",
    "passport.alibaba.com", "havanalogin.taobao.com",
)
_CAPTCHA_URL = re.compile(
    r"_____tmd_____|/punish\b|x5secdata|risk_handler|cfe\.m\.jd\.com/privatedomain"
    r"|sec\.taobao\.com/query|/captcha\b|verify\.jd\.com",
    re.IGNORECASE,
)
# Markers only a challenge page carries; a normal page never holds these elements.
_CAPTCHA_STRONG = re.compile(
    r"""id=["']?nc_1_n1z|id=["']?nocaptcha|baxia-punish|["']action["']\s*:\s*["']captcha["']"""
    r"|请拖动下方滑块|请按住滑块|拖动滑块完成验证|验证码拦截|JDJRV-wrap-jd-verify"
    r"|verify you are human|are you a robot|checking your browser|cf-challenge",
    re.IGNORECASE,
)
# Markers a normal page may also carry (e.g. a hidden x5sec login iframe on an item page),
# so they count only on a small page whose main content they would be.
_CAPTCHA_WEAK = re.compile(
    r"_____tmd_____|x5sec|baxia-dialog|/punish\b|安全验证|京东验证|g-recaptcha|h-captcha"
    r"|hcaptcha\.com|recaptcha/api|captcha|滑块|人机验证|risk_handler",
    re.IGNORECASE,
)
_LOGIN_FORM = re.compile(
    r"""fm-login-id|fm-login-password|TPL_username|TPL_password|id=["']?loginname\b"""
    r"""|id=["']?nloginpwd|J_LoginBox|login-form|loginForm|formlogin""",
    re.IGNORECASE,
)
_PASSWORD = re.compile(r"""<input[^>]+type\s*=\s*["']?password""", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_LOGIN_TITLE = re.compile(r"登录|登錄|log\s*in|sign\s*in|passport", re.IGNORECASE)
_CAPTCHA_TITLE = re.compile(
    r"验证码|安全验证|京东验证|滑块|captcha|robot|人机|human verification|access denied",
    re.IGNORECASE,
)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# Challenge and login pages are short; a real search or item page is not.
_SMALL_PAGE = 60_000
_SMALL_VISIBLE = 1_500


def _title(text: str) -> str:
    match = _TITLE.search(text[:200_000])
    return " ".join(match.group(1).split()) if match else ""


def _visible_length(text: str) -> int:
    return len("".join(_TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", text)).split()))


def block_of_url(url: str) -> str | None:
    """"login" or "captcha" when the URL itself is a sign-in or challenge page, else None."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host in _LOGIN_HOSTS or host.startswith("passport."):
        return "login"
    if _CAPTCHA_URL.search(unquote(parts.path + "?" + parts.query)):
        return "captcha"
    return None


def detect_block(text: str, url: str = "") -> str | None:
    """"login", "captcha" or None (a normal page) for a decoded page and the URL it came from."""
    try:
        return _detect(text or "", url)
    except Exception:  # a detector must never break a read
        return None


def _detect(text: str, url: str) -> str | None:
    by_url = block_of_url(url)
    if by_url:
        return by_url
    title = _title(text)
    small = len(text) < _SMALL_PAGE
    if _CAPTCHA_STRONG.search(text):
        return "captcha"
    login_title = bool(_LOGIN_TITLE.search(title))
    # A big page may hide a mini sign-in form; only a sign-in title makes it the content.
    if _PASSWORD.search(text) and (login_title or (small and _LOGIN_FORM.search(text))):
        return "login"
    if _CAPTCHA_TITLE.search(title) and (small or _CAPTCHA_WEAK.search(text)):
        return "captcha"
    if small and _CAPTCHA_WEAK.search(text) and _visible_length(text) < _SMALL_VISIBLE:
        return "captcha"
    if small and login_title and _visible_length(text) < _SMALL_VISIBLE:
        return "login"
    return None
