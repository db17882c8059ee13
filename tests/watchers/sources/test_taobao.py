"""Taobao/Tmall pages as they really are: embedded JSON, rendered cards, item state, blocks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchers.fetching import Document
from watchers.model import Listing, Page
from watchers.sources.base import Purpose, SourceSpec
from watchers.sources.taobao import ADAPTER

SEARCH_URL = "https://s.taobao.com/search?q=%E8%83%8C%E5%8C%85"


def parse(body: bytes, url: str = SEARCH_URL, purpose: Purpose = "search",
          headers: dict[str, str] | None = None) -> Page:
    spec = SourceSpec(platform="taobao", url=url, purpose=purpose)
    return ADAPTER.parse(Document(url=url, body=body, headers=headers or {}), spec)


def real(realworld: Path, name: str, url: str = SEARCH_URL, purpose: Purpose = "search") -> Page:
    return parse((realworld / "html-cn" / name).read_bytes(), url, purpose)


def by_key(page: Page) -> dict[str, Listing]:
    return {x.key: x for x in page.listings}


# --- real captures -------------------------------------------------------------------------

@pytest.mark.realworld
def test_huili_search_reads_all_36_auctions_from_g_page_config(realworld: Path) -> None:
    page = real(realworld, "taobao_search_huili_shoes_gpageconfig.html")
    assert page.blocked is None
    assert len(page.listings) == 36
    first, last = page.listings[0], page.listings[-1]
    assert first.key == "528991075854"
    assert first.title == "回力2016夏季真皮男士沙滩鞋休闲凉鞋透气潮"  # raw_title, not the ad title
    assert first.price == 115.0 and first.regular_price == 558.0 and first.currency == "CNY"
    assert first.sales == 8 and first.sales_text == "8人付款"
    assert first.seller == "回力老字号"
    # A p4p ad links through click.simba.taobao.com: the listing keeps the item's own URL.
    assert first.url == "https://item.taobao.com/item.htm?id=528991075854"
    assert first.image is not None and first.image.startswith("https://g-search1.alicdn.com/")
    assert (last.key, last.price, last.sales) == ("40010488486", 65.0, 2419)
    assert all(x.sales_text and x.sales_text.endswith("人付款") for x in page.listings)
    assert sum("detail.tmall.com" in x.url for x in page.listings) == 27  # shopcard.isTmall
    assert page.next_url == SEARCH_URL + "&s=44"  # pager: pageSize 44, page 1 of 100


@pytest.mark.realworld
def test_xiashangxin_list_strips_highlight_markup_and_reads_comment_counts(
        realworld: Path) -> None:
    page = real(realworld, "taobao_search_xiashangxin_gpageconfig.html",
                "https://s.taobao.com/list?q=%E5%A4%8F%E4%B8%8A%E6%96%B0", "catalog")
    assert len(page.listings) == 60
    first, last = page.listings[0], page.listings[-1]
    assert first.key == "571575866125"
    assert first.title == "钩花镂空v领短袖蕾丝衫女夏装2018新款宽松显瘦开衫超仙闺蜜上衣"
    assert "<span" not in "".join(x.title for x in page.listings)
    assert (first.price, first.sales, first.sales_text) == (99.0, 11623, "11623人付款")
    assert first.review_count == 85 and first.seller == "machael_go"
    assert first.regular_price is None  # no reserve_price: nothing to call a discount
    assert first.url == "https://item.taobao.com/item.htm?id=571575866125"
    assert first.image == ("https://g-search3.alicdn.com/img/bao/uploaded/i4/i4/79006869/"
                           "TB2AVC9kQZmBKNjSZPiXXXFNVXa_!!79006869.jpg")
    assert (last.key, last.price, last.sales) == ("571272658213", 98.0, 3371)
    assert page.next_url is not None and page.next_url.endswith("&s=60")


@pytest.mark.realworld
def test_rendered_ipad_search_reads_48_dom_cards(realworld: Path) -> None:
    page = real(realworld, "taobao_search_ipad_rendered_dom.html",
                "https://s.taobao.com/search?q=ipad")
    assert page.blocked is None and len(page.listings) == 48
    first, second, third, last = (page.listings[i] for i in (0, 1, 2, -1))
    assert first.key == "566741234264" and first.price == 2288.0
    assert first.title == "2018新款 Apple/苹果 9.7英寸iPad 智能平板电脑 正品国行新品"
    assert first.sales == 51601 and first.seller == "苏宁易购官方旗舰店"
    assert first.url == "https://detail.tmall.com/item.htm?id=566741234264"
    # The full-size picture from data-src, not the 180x180 webp thumbnail in src.
    assert first.image == ("https://g-search2.alicdn.com/img/bao/uploaded/i4/i3/2616970884/"
                           "TB2KZB1BYSYBuNjSspiXXXNzpXa_!!2616970884-0-item_pic.jpg")
    assert (second.key, second.price, second.sales) == ("547137374482", 1868.0, 28808)
    assert (third.key, third.price, third.sales, third.seller) == (
        "566534680696", 2268.0, 7122, "卓辰数码旗舰店")
    assert (last.key, last.price, last.sales, last.seller) == (
        "564996303586", 1180.0, 1119, "葛给力服饰")
    no_sales = {k for k, x in by_key(page).items() if x.sales is None}
    assert no_sales == {"566719206678", "552644716383", "552647276387", "538589484448"}


@pytest.mark.realworld
def test_2026_spa_shell_is_blocked_not_an_empty_catalogue(realworld: Path) -> None:
    for purpose in ("search", "catalog"):
        page = real(realworld, "taobao_search_2026_spa_shell_utf16.html", purpose=purpose)
        assert page.blocked == "shell" and page.listings == []


@pytest.mark.realworld
def test_keyboard_item_page_reads_g_config_and_hub_sku_state(realworld: Path) -> None:
    url = "https://item.taobao.com/item.htm?id=562283240178"
    page = real(realworld, "taobao_item_keyboard_case.html", url, "product")
    assert page.blocked is None and len(page.listings) == 1
    item = page.listings[0]
    assert item.key == "562283240178"
    assert item.title == "乳白亚克力外壳 60%键盘外壳 poker外壳无加强筋底壳透光外壳"
    assert item.price == 149.0  # DOM range "149.00 - 159.00" and skuMap 149/159: low end
    assert item.seller == "怡科外设KBDfans"  # g_config shopName, \\u-escaped in the page
    assert item.available is True  # skuMap stock "2" + "2"
    assert item.sales is None and item.review_count is None  # counters unrendered ("-")
    assert item.url == url
    assert len(item.images) == 5 and item.image == item.images[0]
    assert all(u.startswith("https://") and u.endswith(".jpg") for u in item.images)


@pytest.mark.realworld
def test_gbk_tmall_item_reads_tshop_setup(realworld: Path) -> None:
    url = "https://detail.tmall.com/item.htm?id=609353516840&skuId=4286434429200"
    page = real(realworld, "tmall_item_iphone11pro_gbk.html", url, "product")
    assert page.blocked is None and len(page.listings) == 1
    item = page.listings[0]
    assert item.key == "609353516840"
    assert item.title == ("【6期免息/春节正常发货】Apple/苹果 iPhone 11 pro"
                          "全网通智能4G苹果11正品手机xs官方官网旗舰店X 11promax")
    assert item.price == 8699.0  # defaultItemPrice "8699.00 - 12199.00"; reservePrice 8699.00
    assert item.regular_price is None
    assert item.available is True  # quantity 213
    assert item.seller == "能良数码官方旗舰店"
    assert item.url == "https://detail.tmall.com/item.htm?id=609353516840"
    assert len(item.images) == 5
    assert item.image == ("https://img.alicdn.com/imgextra/i2/263726286/"
                          "O1CN01D1b8PB1wJ2FWnQUNG_!!0-item_pic.jpg")


@pytest.mark.realworld
def test_gbk_tmall_sku_map_holds_12_prices_from_8699_to_12199(realworld: Path) -> None:
    from watchers.encoding import decode
    from watchers.extract.jsdata import value_after

    text = decode((realworld / "html-cn" / "tmall_item_iphone11pro_gbk.html").read_bytes())
    setup = value_after(text, r"TShop\.Setup\(\s*")
    prices = sorted(float(s["price"]) for s in setup["valItemInfo"]["skuMap"].values())
    assert len(prices) == 12 and (prices[0], prices[-1]) == (8699.0, 12199.0)
    first_sku = setup["valItemInfo"]["skuList"][0]
    assert first_sku["names"] == "4G+全网通 金色 官方标配 64GB "  # trailing space kept
    assert first_sku["skuId"] == "4286434429200"
    assert setup["detail"]["defaultItemPrice"] == "8699.00 - 12199.00"


# --- written pages -------------------------------------------------------------------------

CARDS_2024 = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>背包_淘宝搜索</title>
<script src="//g.alicdn.com/secdev/baxia/2.1.12/baxiaCommon.js"></script></head><body>
<div id="content_items_wrapper">
<a class="Card--doubleCardWrapper--L2XFE73" href="//item.taobao.com/item.htm?id=712345678901&ns=1">
 <div class="Card--mainPicAndDesc--wvcDXaK">
 <div class="MainPic--mainPicWrapper--iv9Yv90"><img class="MainPic--mainPic--rcLNaCv"
  src="https://g-search1.alicdn.com/img/bao/uploaded/i4/i1/22/O1CN01abc.jpg_360x360q90.jpg_.webp">
 </div>
 <div class="Title--descWrapper--HqxzYq0"><div class="Title--title--jCOPvpf">
  <span>户外<span class="Title--H--x">防水</span>背包 大容量</span></div></div>
 <div class="Price--priceWrapper--Q0Dn7pN"><span class="Price--unit--VNGKLAP">¥</span>
  <span class="Price--priceInt--ZlsSi_M">128</span><span
   class="Price--priceFloat--h2RR0RK">.50</span>
  <span class="Price--realSales--FhTZc7U">1.5万+人付款</span>
  <div class="Price--procity--_7Vt3mX">广东 广州</div></div>
 </div>
 <div class="ShopInfo--shopInfo--ORFs6rK"><a class="ShopInfo--shopName--rg6mGmy"
  href="//store.taobao.com/shop/view_shop.htm?user_number_id=1">山野户外旗舰店</a></div>
</a>
<a class="Card--doubleCardWrapper--L2XFE73"
 href="//detail.tmall.com/item.htm?id=712345678902&spm=a">
 <img class="MainPic--mainPic--rcLNaCv" src="//img.alicdn.com/bao/uploaded/i2/O1CN02.png_.webp">
 <div class="Title--title--jCOPvpf"><span>登山包 40L</span></div>
 <span class="Price--priceInt--ZlsSi_M">299</span>
 <span class="Price--realSales--FhTZc7U">月销 2000+</span>
 <span class="ShopInfo--shopName--rg6mGmy">登山家天猫店</span>
</a>
</div></body></html>"""


def test_2024_hashed_class_cards_are_read() -> None:
    page = parse(CARDS_2024.encode("utf-8"))
    assert page.blocked is None
    first, second = page.listings
    assert first == Listing(
        key="712345678901", title="户外防水背包 大容量",
        url="https://item.taobao.com/item.htm?id=712345678901", price=128.5, currency="CNY",
        image="https://g-search1.alicdn.com/img/bao/uploaded/i4/i1/22/O1CN01abc.jpg",
        images=("https://g-search1.alicdn.com/img/bao/uploaded/i4/i1/22/O1CN01abc.jpg",),
        sales=15000, sales_text="1.5万+人付款", seller="山野户外旗舰店", available=True)
    assert (second.key, second.price, second.sales, second.seller) == (
        "712345678902", 299.0, 2000, "登山家天猫店")
    assert second.url == "https://detail.tmall.com/item.htm?id=712345678902"
    assert second.image == "https://img.alicdn.com/bao/uploaded/i2/O1CN02.png"


SHOP_ASYNC = ('jsonp123("<div class=\\"J_TItems\\">'
              '<dl class=\\"item \\" data-id=\\"600000000010\\">'
              '<dt class=\\"photo\\"><a href=\\"//item.taobao.com/item.htm?id=600000000010\\">'
              '<img alt=\\"旅行背包\\" src=\\"//assets.alicdn.com/s.gif\\" data-ks-lazyload='
              '\\"//img.alicdn.com/bao/uploaded/i1/1/x.jpg_240x240.jpg\\"></a></dt>'
              '<dd class=\\"detail\\"><a class=\\"item-name\\" href=\\"//item.taobao.com/item.htm'
              '?id=600000000010\\">旅行背包</a><div class=\\"cprice-area\\"><span class=\\"symbol'
              '\\">¥</span><span class=\\"c-price\\">59.00 </span></div><div class=\\"sale-area'
              '\\">已售：<span class=\\"sale-num\\">320</span></div></dd></dl></div>")')


def test_shop_async_item_list_with_escaped_quotes_is_read() -> None:
    page = parse(SHOP_ASYNC.encode("utf-8"), "https://shop1.taobao.com/i/asynSearch.htm?mid=1",
                 "catalog")
    (item,) = page.listings
    assert (item.key, item.title, item.price, item.sales) == ("600000000010", "旅行背包", 59.0, 320)
    assert item.image == "https://img.alicdn.com/bao/uploaded/i1/1/x.jpg"


ITEM_G_CONFIG = """<html><head><meta charset="gbk"><title>防水背包 大容量-淘宝网</title>
<script>
var g_config = {
    startTime : +new Date,
    itemId    : '600000000001',
    shopName  : '\\u5c71\\u91ce\\u6237\\u5916',
    sellerNick: 'shanye',
    idata     : { item: { id: '600000000001',
                  title: '\\u9632\\u6c34\\u80cc\\u5305 \\u5927\\u5bb9\\u91cf',
                  pic: '//gd2.alicdn.com/imgextra/i1/1/a.jpg',
                  auctionImages: ["//gd1.alicdn.com/imgextra/i1/1/a.jpg",
                                  "//gd3.alicdn.com/imgextra/i2/1/b.jpg"] } }
};
Hub.config.set('sku', { valItemInfo: { defSelected: -1,
    skuMap: {";1:1;":{"price":"88.00","stock":"0"},";1:2;":{"price":"99.00","stock":"3"}} } });
</script></head><body>
<h3 class="tb-main-title" data-title="防水背包 大容量">防水背包 大容量</h3>
<strong id="J_StrPrice"><em class="tb-rmb">￥</em><em class="tb-rmb-num">88.00 - 99.00</em></strong>
<img id="J_ImgBooth" src="//gd3.alicdn.com/imgextra/i1/1/a.jpg_400x400.jpg">
<strong id="J_RateCounter">320</strong><strong id="J_SellCounter">1.5万+</strong>
</body></html>"""


def test_taobao_item_page_with_g_config_gives_one_listing_with_all_images() -> None:
    url = "https://item.taobao.com/item.htm?spm=a1z10&id=600000000001&ns=1"
    page = parse(ITEM_G_CONFIG.encode("gbk"), url, "product")
    (item,) = page.listings
    assert item == Listing(
        key="600000000001", title="防水背包 大容量",
        url="https://item.taobao.com/item.htm?id=600000000001", price=88.0, currency="CNY",
        available=True, image="https://gd1.alicdn.com/imgextra/i1/1/a.jpg",
        images=("https://gd1.alicdn.com/imgextra/i1/1/a.jpg",
                "https://gd3.alicdn.com/imgextra/i2/1/b.jpg"),
        sales=15000, sales_text="1.5万+", seller="山野户外", review_count=320)


@pytest.mark.parametrize(("body", "url", "purpose", "expected"), [
    (b"<html><head><title>\xe9\xaa\x8c\xe8\xaf\x81\xe7\xa0\x81\xe6\x8b\xa6\xe6\x88\xaa</title>"
     b"</head><body><span id='nc_1_n1z'></span></body></html>", SEARCH_URL, "search", "captcha"),
    (b"<html></html>", "https://s.taobao.com//search/_____tmd_____/punish?x5secdata=1", "search",
     "captcha"),
    (b"<html></html>", "https://login.taobao.com/member/login.jhtml?redirectURL=x", "catalog",
     "login"),
    (b"<html><title>login</title><form><input type=password></form></html>",
     "https://item.taobao.com/item.htm?id=1", "product", "login"),
    (b"<html><body><div id='root'></div><script src='app.js'></script></body></html>",
     SEARCH_URL, "catalog", "shell"),
    (b"<html><body><div id='root'></div></body></html>", "https://item.taobao.com/item.htm",
     "product", "shell"),
    (b"<html>not review json</html>", "https://rate.tmall.com/list_detail_rate.htm?itemId=1",
     "reviews", "unsupported"),
], ids=["slider-page", "punish-redirect", "login-redirect", "login-form-for-item", "js-shell",
        "item-without-id", "reviews-not-json"])
def test_blocked_pages_are_never_empty_catalogues(body: bytes, url: str, purpose: Purpose,
                                                  expected: str) -> None:
    page = parse(body, url, purpose)
    assert page.blocked == expected and page.listings == []


def test_an_honest_no_result_search_is_empty_not_blocked() -> None:
    config = {"pageName": "mainsrp", "mods": {"itemlist": {"status": "hide"},
                                              "noresult": {"status": "show"}}}
    body = f"<script>g_page_config = {json.dumps(config)};</script>".encode()
    page = parse(body)
    assert page.blocked is None and page.listings == [] and page.next_url is None


def test_search_paging_stops_after_the_first_pages() -> None:
    auction = {"nid": "1234567", "raw_title": "x", "view_price": "1.00"}
    config = {"mods": {"itemlist": {"data": {"auctions": [auction]}},
                       "pager": {"data": {"pageSize": 44, "totalPage": 100, "currentPage": 5}}}}
    body = f"<script>g_page_config = {json.dumps(config)};</script>".encode()
    assert parse(body, purpose="search").next_url is None
    assert parse(body, purpose="catalog").next_url == SEARCH_URL + "&s=220"


TMALL_RATES = ('jsonp128({"rateDetail":{"rateCount":{"total":2,"shop":0,"picNum":0},'
               '"paginator":{"items":2,"lastPage":3,"page":1},"rateList":['
               '{"id":1098765432101,"rateContent":"质量很好，防水",'
               '"rateDate":"2026-05-01 10:00:00",'
               '"displayUserNick":"t**1","auctionSku":"颜色分类:黑色"},'
               '{"id":1098765432102,"rateContent":"拉链坏了，差评",'
               '"rateDate":"2026-05-02 11:00:00",'
               '"displayUserNick":"a**b","auctionSku":"颜色分类:灰色"}]}})')

TAOBAO_RATES = json.dumps({"total": 40, "maxPage": 2, "comments": [
    {"rateId": 555, "content": "一般般", "date": "2026年05月03日 12:00", "rate": "0",
     "user": {"nick": "b***c"}, "auction": {"sku": "颜色分类:蓝色"}},
    {"rateId": 556, "content": "很差", "date": "2026年05月04日 12:00", "rate": "-1",
     "user": {"nick": "d***e"}, "auction": {"sku": ""}},
]}, ensure_ascii=False)


def test_tmall_rate_list_jsonp_gives_reviews_and_next_page() -> None:
    url = "https://rate.tmall.com/list_detail_rate.htm?itemId=1&currentPage=1"
    page = parse(TMALL_RATES.encode("utf-8"), url, "reviews")
    assert [r.key for r in page.reviews] == ["1098765432101", "1098765432102"]
    assert page.reviews[1].text == "拉链坏了，差评" and page.reviews[1].author == "a**b"
    assert page.reviews[0].variant == "颜色分类:黑色" and page.reviews[0].rating is None
    assert page.review_count == 2
    assert page.next_url == "https://rate.tmall.com/list_detail_rate.htm?itemId=1&currentPage=2"


def test_taobao_feed_rate_list_maps_good_neutral_bad_to_stars() -> None:
    url = "https://rate.taobao.com/feedRateList.htm?auctionNumId=1&currentPageNum=2"
    page = parse(TAOBAO_RATES.encode("utf-8"), url, "reviews")
    assert [(r.key, r.rating) for r in page.reviews] == [("555", 3.0), ("556", 1.0)]
    assert page.review_count == 40 and page.next_url is None  # page 2 of 2


PIECES = st.sampled_from([
    b"g_page_config = ", b"{", b"}", b"[", b"]", b'"mods":', b'"itemlist":', b'"data":',
    b'"auctions":', b'"nid":"123456"', b'"view_price":', b"TShop.Setup(", b"g_config = ",
    b"Hub.config.set('sku', ", b"'", b'"', b"\\u4e2d", b"<div class='Card--doubleCardWrapper'>",
    b"<a href='//item.taobao.com/item.htm?id=1234567'>", b"<span class='Price--priceInt'>",
    b"\xff\xfe", b"\xe4\xb8\x87", b"rateDetail", b'"rateList":', b"jsonp(", b")", b",", b":",
])
BODIES = st.one_of(st.binary(max_size=400), st.lists(PIECES, max_size=50).map(b"".join))


@pytest.mark.parametrize("purpose", ["catalog", "search", "product", "reviews"])
@settings(max_examples=80, deadline=None)
@given(body=BODIES)
def test_taobao_parser_never_raises_on_arbitrary_bytes(purpose: Purpose, body: bytes) -> None:
    page = parse(body, "https://item.taobao.com/item.htm?id=1234567", purpose)
    assert isinstance(page, Page)
    if purpose != "reviews":  # nothing read is always said, never an empty catalogue
        assert page.listings or page.blocked
