"""A loopback Taobao-like shop that renders its list only with JavaScript and asks for a session."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakes.http import LoopbackServer, Reply, Request

SESSION = ("cookie2", "s3ss10n")  # a session cookie: expiry 0 in cookies.txt
TOKEN = ("_tb_token_", "t0k3n")  # an HttpOnly cookie with an expiry
FOREVER = 4102444800  # 2100-01-01

# The shop page as served: an empty list and a script that fetches the items and builds
# cards in Taobao's 2024 markup. Read over plain HTTP it holds no item at all.
SHELL = """<!doctype html><html><head><meta charset="utf-8"><title>小店 - 淘宝网</title></head>
<body><div id="root"><div class="Content--contentInner--x1"></div></div>
<script>
fetch("/shop/api/items.json", {credentials: "same-origin"})
  .then(r => r.json())
  .then(items => {
    const esc = s => String(s).replace(/[&<>"]/g, c => "&#" + c.charCodeAt(0) + ";");
    const cents = p => String(Math.round(p * 100) % 100).padStart(2, "0");
    document.querySelector(".Content--contentInner--x1").innerHTML = items.map(it => `
      <a class="Card--doubleCardWrapper--L2XFE73" href="//item.taobao.com/item.htm?id=${it.id}">
        <img class="MainPic--mainPic--rcLNaCv" src="//img.alicdn.com/bao/${it.id}.jpg">
        <div class="Title--title--jCOPvpf"><span>${esc(it.title)}</span></div>
        <div class="Price--priceWrapper--Q0Dn7pN">
          <span class="Price--priceInt--ZlsSi_M">${Math.floor(it.price)}</span>
          <span class="Price--priceFloat--h2RR0RK">.${cents(it.price)}</span>
          <span class="Price--realSales--FhTZc7U">${esc(it.sales)}</span>
        </div>
        <div class="ShopInfo--shopName--rg6mGmy">${esc(it.shop)}</div>
      </a>`).join("");
  });
</script></body></html>"""

LOGIN = """<!doctype html><html><head><meta charset="utf-8"><title>淘宝网 - 登录</title></head>
<body><form id="login-form"><input id="fm-login-id" name="fm-login-id">
<input id="fm-login-password" type="password"></form></body></html>"""

# Taobao's slider check ("nc" = no-captcha), as it stands in for the page asked for.
SLIDER = """<!doctype html><html><head><meta charset="utf-8"><title>验证码拦截</title>
<style>#nc_1_wrapper{width:300px;height:34px;background:#e8e8e8;margin:40px}
#nc_1_n1z{display:block;width:40px;height:34px;background:#fff;border:1px solid #ccc}</style>
</head><body><div class="baxia-dialog"><p>亲，请拖动下方滑块完成验证</p>
<div id="nc_1_wrapper"><div id="nc_1__scale_text">
<span class="nc-lang-cnt">请按住滑块，拖动到最右边</span></div>
<span id="nc_1_n1z" class="nc_iconfont btn_slide"></span></div></div></body></html>"""


@dataclass
class Market:
    """The shop's state, changed by tests between checks."""

    items: dict[int, dict[str, object]] = field(default_factory=dict)
    slider: bool = False

    def add(self, nid: int, title: str, price: float, sales: str) -> None:
        self.items[nid] = {"id": nid, "title": title, "price": price, "sales": sales,
                           "shop": "优衣小铺"}

    def _logged_in(self, req: Request) -> bool:
        jar = dict(part.strip().partition("=")[::2]
                   for part in req.headers.get("Cookie", "").split(";") if "=" in part)
        return jar.get(SESSION[0]) == SESSION[1] and jar.get(TOKEN[0]) == TOKEN[1]

    def shop(self, req: Request) -> Reply:
        if not self._logged_in(req):
            return Reply("", 302, headers={"Location": "/member/login.jhtml"})
        return Reply(SLIDER if self.slider else SHELL)

    def api(self, req: Request) -> Reply:
        if not self._logged_in(req) or self.slider:
            return Reply('{"error": "login"}', 401, content_type="application/json")
        body = json.dumps(list(self.items.values()), ensure_ascii=False)
        return Reply(body, content_type="application/json; charset=utf-8")

    def serve(self) -> LoopbackServer:
        """A started server with the shop's routes."""
        return LoopbackServer({"/shop/items.htm": self.shop, "/shop/api/items.json": self.api,
                               "/member/login.jhtml": Reply(LOGIN)}).start()


def write_cookies(path: Path, session: str = SESSION[1]) -> Path:
    """The operator's session as a browser extension exports it (Netscape cookies.txt)."""
    path.write_text(
        "# Netscape HTTP Cookie File\n"
        "# exported for the test\n\n"
        f"127.0.0.1\tFALSE\t/\tFALSE\t0\t{SESSION[0]}\t{session}\n"
        f"#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t{FOREVER}\t{TOKEN[0]}\t{TOKEN[1]}\n",
        encoding="utf-8")
    return path
