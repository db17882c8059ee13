"""The operator's browser session: a Netscape cookies.txt read into a cookie jar."""

from __future__ import annotations

import http.cookiejar
from pathlib import Path

HTTPONLY_PREFIX = "#HttpOnly_"


def load_cookies_txt(path: Path) -> http.cookiejar.MozillaCookieJar:
    """Read a Netscape cookies.txt (as browser extensions export it) into a cookie jar.

    Session cookies (expiry 0 or empty) are kept as session cookies; `#HttpOnly_` lines
    are cookies; blank and other `#` lines are skipped. A broken line raises ValueError
    naming the file and the line number.
    """
    # The stdlib loader drops session cookies and insists on a magic first line that some
    # exporters leave out, so the lines are read here and the jar is only the container.
    jar = http.cookiejar.MozillaCookieJar(str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read cookies file: {exc}") from exc
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip(" \r\n")  # tabs stay: an empty first or last field is still a field
        http_only = line.startswith(HTTPONLY_PREFIX)
        if http_only:
            line = line[len(HTTPONLY_PREFIX):]
        elif not line.strip() or line.startswith("#"):
            continue
        try:
            jar.set_cookie(_cookie(line, http_only))
        except ValueError as exc:
            raise ValueError(f"{path}, line {number}: {exc}") from None
    return jar


def _cookie(line: str, http_only: bool) -> http.cookiejar.Cookie:
    fields = line.split("\t")
    if len(fields) != 7:
        # Some tools write spaces instead of tabs; the value is last and may hold spaces.
        fields = line.split(None, 6)
    if len(fields) == 6:
        fields.append("")  # an empty value with its trailing tab stripped
    if len(fields) != 7:
        raise ValueError(f"expected 7 tab-separated fields, found {len(fields)}")
    domain, subdomains, path, secure, expires, name, value = fields
    if not domain or not name:
        raise ValueError("empty domain or cookie name")
    for label, flag in (("include-subdomains", subdomains), ("secure", secure)):
        if flag.upper() not in ("TRUE", "FALSE"):
            raise ValueError(f"{label} flag must be TRUE or FALSE, not {flag!r}")
    try:
        expiry = int(float(expires)) if expires.strip() else 0
    except ValueError:
        raise ValueError(f"expiry must be a number of seconds, not {expires!r}") from None
    domain_wide = subdomains.upper() == "TRUE" or domain.startswith(".")
    if domain_wide and not domain.startswith("."):
        domain = "." + domain
    session = expiry <= 0
    return http.cookiejar.Cookie(
        version=0, name=name, value=value, port=None, port_specified=False,
        domain=domain, domain_specified=domain_wide, domain_initial_dot=domain_wide,
        path=path or "/", path_specified=True, secure=secure.upper() == "TRUE",
        # A cookie jar treats expiry 0 as long expired; None is a session cookie.
        expires=None if session else expiry, discard=session,
        comment=None, comment_url=None,
        rest={"HttpOnly": ""} if http_only else {},
    )
