"""JD pages as they really are: gl-item search cards, pageConfig item pages, comment JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchers.fetching import Document
from watchers.model import Listing, Page
from watchers.sources.base import Purpose, SourceSpec
from watchers.sources.jd import ADAPTER

SEARCH_URL = "https://search.jd.com/Search?keyword=123&enc=utf-8"


def parse(body: bytes, url: str = SEARCH_URL, purpose: Purpose = "search") -> Page:
    spec = SourceSpec(platform="jd", url=url, purpose=purpose)
    return ADAPTER.parse(Document(url=url, body=body), spec)


@pytest.mark.realworld
def test_jd_search_123_reads_60_cards_from_a_bom_page(realworld: Path) -> None:
    page = parse((realworld / "html-cn" / "jd_search_123.html").read_bytes())
    assert page.blocked is None and len(page.listings) == 60
    first, second, third = page.listings[:3]
    assert (first.key, first.title, first.price, first.review_count) == (
        "11371342", "123成人式", 25.2, 820)
    assert first.url == "https://item.jd.com/11371342.html" and first.currency == "CNY"
    assert first.image == ("https://img12.360buyimg.com/n7/g15/M0A/06/07/"
                           "rBEhWlMDGzQIAAAAAAEyWH3nBQwAAIrCgBsdHMAATJw181.jpg")
    assert (second.key, second.title, second.price, second.review_count) == (
        "1195464225", "卡罗德Carod钢琴T23立式家用教学 黑色", 16899.0, 654)
    assert (third.key, third.price) == ("1762081421", 578.0)
    assert all(x.image and x.image.startswith("https://") for x in page.listings)
    # Visible page 1 of 100: the next visible page is page=3 (JD loads halves as 1, 2).
    assert page.next_url == SEARCH_URL + "&page=3"


@pytest.mark.realworld
def test_jd_sony_search_survives_a_bs4_wrapper_and_skips_the_ad_card(realworld: Path) -> None:
    url = "https://search.jd.com/Search?keyword=%E7%B4%A2%E5%B0%BC%E8%80%B3%E6%9C%BA"
    page = parse((realworld / "html-cn" / "jd_search_sony_earphones_bs4.html").read_bytes(), url)
    # 30 li.gl-item, one of them a data-type="activity" promotion without a sku.
    assert page.blocked is None and len(page.listings) == 29
    first, second, third = page.listings[:3]
    assert first.key == "940275"
    assert first.title == ("索尼（SONY） MDR-EX15LP 小巧入耳式耳机,"
                           "佩戴舒适 半透明果冻色渐变机身 黑色")
    assert (first.price, first.review_count) == (55.0, 58_000)  # "已有5.8万+人评价"
    assert (second.key, second.price, second.review_count) == ("1269272", 279.0, 13_000)
    assert (third.key, third.price, third.review_count) == ("1074512", 179.0, 14_000)


NEW_CARD = """<ul class="gl-warp"><li class="gl-item" data-sku="100088888888" data-spu="1">
<div class="gl-i-wrap"><div class="p-img"><a href="//item.jd.com/100088888888.html">
<img width="220" data-img="1" data-lazy-img="done"
 source-data-lazy-img="//img10.360buyimg.com/n7/jfs/t1/9/x.jpg"></a></div>
<div class="p-price"><strong class="J_100088888888"><em>￥</em>
<i data-price="100088888888">199.00</i></strong></div><div class="p-name p-name-type-2">
<a title="【热卖】限时直降" href="//item.jd.com/100088888888.html">
<em>户外<font class="skcolor_ljg">防水</font>背包</em></a></div>
<div class="p-commit"><strong><a id="J_comment_100088888888" href="#comment">2万+</a>条评价
</strong></div><div class="p-shop"><span class="J_im_icon"><a class="curr-shop hd-shopname"
 title="山野户外京东自营旗舰店"
 href="//mall.jd.com/index-1.html">山野户外京东自营旗舰店</a></span></div></div></li>
<li class="gl-item" data-sku="100099999999"><div class="p-img">
<a href="//item.jd.com/100099999999.html">
<img src="//img11.360buyimg.com/n7/jfs/t1/8/y.jpg"></a></div>
<div class="p-price"><strong><em>￥</em><i></i></strong></div>
<div class="p-name"><a href="//item.jd.com/100099999999.html"><em>登山包</em></a></div></li></ul>"""


def test_newer_jd_cards_read_lazy_images_shop_and_comment_counts() -> None:
    first, second = parse(NEW_CARD.encode("utf-8")).listings
    assert first == Listing(
        key="100088888888", title="户外防水背包", url="https://item.jd.com/100088888888.html",
        price=199.0, currency="CNY", image="https://img10.360buyimg.com/n7/jfs/t1/9/x.jpg",
        images=("https://img10.360buyimg.com/n7/jfs/t1/9/x.jpg",),
        seller="山野户外京东自营旗舰店", review_count=20_000, available=True)
    # An unfilled price stays unknown rather than becoming 0.
    assert (second.key, second.price, second.currency) == ("100099999999", None, None)


ITEM_PAGE = """<!DOCTYPE html><html><head><meta charset="gbk">
<title>【索尼WH-1000XM5】索尼 WH-1000XM5 耳机 黑色【行情 报价 价格 评测】-京东</title>
<script>
var pageConfig = {
    compatible: true,
    product: {
        skuid: 100012345678,
        name: '\\u7d22\\u5c3c WH-1000XM5 \\u8033\\u673a \\u9ed1\\u8272',
        skuMarkJson: {pg: 0},
        imageList: ["jfs/t1/1/a.jpg", "jfs/t1/2/b.jpg"],
        src: 'jfs/t1/1/a.jpg',
        cat: [652, 828, 842],
        venderId: 1000000127,
        shopId: '1000000127',
        isOver: false
    }
};
</script></head><body>
<div class="J-hove-wrap"><div class="item"><div class="name">
<a href="//mall.jd.com/index-1000000127.html" title="索尼京东自营官方旗舰店">
索尼京东自营官方旗舰店</a>
</div></div></div>
<div class="p-price"><span>￥</span><span class="price J-p-100012345678">2499.00</span></div>
<div id="comment-count"><a href="#comment">20万+</a></div>
</body></html>"""


def test_jd_item_page_reads_page_config_and_all_images() -> None:
    url = "https://item.jd.com/100012345678.html?extension_id=abc"
    (item,) = parse(ITEM_PAGE.encode("gbk"), url, "product").listings
    assert item == Listing(
        key="100012345678", title="索尼 WH-1000XM5 耳机 黑色",
        url="https://item.jd.com/100012345678.html", price=2499.0, currency="CNY",
        image="https://img14.360buyimg.com/n1/jfs/t1/1/a.jpg",
        images=("https://img14.360buyimg.com/n1/jfs/t1/1/a.jpg",
                "https://img14.360buyimg.com/n1/jfs/t1/2/b.jpg"),
        seller="索尼京东自营官方旗舰店", review_count=200_000)


COMMENTS = "fetchJSON_comment98(" + json.dumps({
    "productCommentSummary": {"commentCount": 123456, "commentCountStr": "12万+",
                              "averageScore": 5, "goodRate": 0.97},
    "maxPage": 2,
    "comments": [
        {"id": 17000000001, "content": "音质很好，降噪强", "creationTime": "2026-05-01 10:00:00",
         "score": 5, "nickname": "j***1", "productColor": "黑色", "productSize": "标准版"},
        {"id": 17000000002, "content": "用了两天就坏了", "creationTime": "2026-05-02 11:00:00",
         "score": 1, "nickname": "k***2", "productColor": "银色"},
        {"id": 17000000003, "content": "", "score": 3},
    ],
}, ensure_ascii=False) + ");"


def test_jd_comment_jsonp_gives_reviews_summary_and_next_page() -> None:
    url = "https://club.jd.com/comment/productPageComments.action?productId=1&page=0&pageSize=10"
    page = parse(COMMENTS.encode("gbk"), url, "reviews")
    assert [(r.key, r.rating, r.variant) for r in page.reviews] == [
        ("17000000001", 5.0, "黑色 标准版"), ("17000000002", 1.0, "银色")]
    assert page.reviews[1].text == "用了两天就坏了" and page.reviews[1].author == "k***2"
    assert page.review_count == 123456 and page.rating == 5.0
    assert page.next_url == url.replace("page=0", "page=1")
    last = parse(COMMENTS.encode("utf-8"), url.replace("page=0", "page=1"), "reviews")
    assert last.next_url is None  # maxPage 2: pages 0 and 1


JD_RISK = ("<html><head><title>京东验证</title></head><body><div class='JDJRV-wrap-jd-verify'>"
           "</div></body></html>")


@pytest.mark.parametrize(("body", "url", "purpose", "expected"), [
    (JD_RISK.encode(), SEARCH_URL, "search", "captcha"),
    (b"<html></html>", "https://cfe.m.jd.com/privatedomain/risk_handler/03101900/?returnurl=x",
     "search", "captcha"),
    (b"<html></html>", "https://passport.jd.com/new/login.aspx?ReturnUrl=https%3A%2F%2Fitem",
     "product", "login"),
    ("<html><title>京东-欢迎登录</title><form id='formlogin'><input id='loginname'>"
     "<input id='nloginpwd' type='password'></form></html>".encode(), SEARCH_URL, "catalog",
     "login"),
    (b"<html><body><div id='app'></div><script src='//storage.360buyimg.com/x.js'></script>"
     b"</body></html>", SEARCH_URL, "search", "shell"),
    (b"<html>not json</html>", "https://club.jd.com/comment/productPageComments.action",
     "reviews", "unsupported"),
], ids=["risk-page", "risk-redirect", "passport-redirect", "login-form", "js-shell",
        "reviews-not-json"])
def test_jd_blocked_pages_are_never_empty_catalogues(body: bytes, url: str, purpose: Purpose,
                                                     expected: str) -> None:
    page = parse(body, url, purpose)
    assert page.blocked == expected and page.listings == []


def test_jd_search_with_no_results_is_empty_not_blocked() -> None:
    body = "<html><div class='ns-content'>抱歉，没有找到与“xyz”相关的商品</div></html>"
    page = parse(body.encode("utf-8"))
    assert page.blocked is None and page.listings == []


PIECES = st.sampled_from([
    b"<li class='gl-item' data-sku='123'>", b"</li>", b"<div class='p-price'><i>", b"</i>",
    b"99.00", b"pageConfig = ", b"{", b"}", b"product:", b"skuid:", b"imageList:", b"[", b"]",
    b"'", b'"', b'"comments":', b'"productCommentSummary":', b"fetchJSON(", b")", b",",
    b"\xff\xfe", b"\xe4\xb8\x87", b"2\xe4\xb8\x87+",
])
BODIES = st.one_of(st.binary(max_size=400), st.lists(PIECES, max_size=50).map(b"".join))


@pytest.mark.parametrize("purpose", ["catalog", "search", "product", "reviews"])
@settings(max_examples=80, deadline=None)
@given(body=BODIES)
def test_jd_parser_never_raises_on_arbitrary_bytes(purpose: Purpose, body: bytes) -> None:
    page = parse(body, "https://item.jd.com/123.html", purpose)
    assert isinstance(page, Page)
    if purpose != "reviews":  # nothing read is always said, never an empty catalogue
        assert page.listings or page.blocked
