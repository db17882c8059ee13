"""Every adapter of this package turns arbitrary bytes into a Page without raising."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchers.fetching import Document
from watchers.model import Page
from watchers.sources import adapter_for
from watchers.sources.base import Layout, Purpose, SourceSpec

LAYOUT = Layout(
    listing={"item": "div", "title": "a", "price": "span", "url": "a", "image": "img",
             "sales": "em", "next": "a.next"},
    reviews={"item": "li", "rating": "i", "text": "p", "author": "b", "date": "time"},
)
CASES = [(p, purpose) for p in ("shopify", "woocommerce", "html")
         for purpose in ("catalog", "search", "reviews", "product")]
# Fragments that steer random bodies into the interesting branches of each parser.
PIECES = st.sampled_from([
    b"{", b"}", b"[", b"]", b'"products":', b'"product":', b'"variants":', b'"price":',
    b'"id":', b'"prices":', b'"resources":', b"null", b"1", b'"0.00"', b",", b"<div>",
    b"<a href='//x'>", b"<li><i></i><p>", b"\xff\xfe", b"\xe4\xb8\x87", b" ",
])
BODIES = st.one_of(st.binary(max_size=300), st.lists(PIECES, max_size=40).map(b"".join))


@pytest.mark.parametrize(("platform", "purpose"), CASES, ids=[f"{p}-{u}" for p, u in CASES])
@settings(max_examples=60, deadline=None)
@given(body=BODIES)
def test_adapters_never_raise_on_arbitrary_bytes(platform: str, purpose: Purpose,
                                                 body: bytes) -> None:
    adapter = adapter_for(platform)
    source = SourceSpec(platform=platform, url="https://x.example/", purpose=purpose,
                        home="https://x.example/", layout=LAYOUT)
    url = adapter.start_urls(source)[0]
    page = adapter.parse(Document(url=url, body=body, headers={"x-wp-totalpages": "2"}), source)
    assert isinstance(page, Page)
