"""schema.org microdata (itemscope/itemprop) read into JSON-LD-shaped nodes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag

from watchers.extract.text import clean_text
from watchers.limits import MAX_HTML_DEPTH

_MAX_DEPTH = 8
# Properties whose value is a link even when the element also shows text.
_URL_PROPS = frozenset({"url", "image", "sameas", "availability", "itemcondition", "logo",
                        "contenturl", "thumbnailurl", "photo"})
_SRC_TAGS = frozenset({"img", "audio", "video", "source", "iframe", "embed", "track"})
_HREF_TAGS = frozenset({"a", "link", "area"})
_HIDDEN_CLASSES = frozenset({"g-hdn", "sr-only", "visually-hidden", "visuallyhidden",
                             "screen-reader-text", "screenreader-only", "hidden", "hide"})


def _absolute(base: str, href: str) -> str:
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return href.strip()


def _hidden(el: Tag) -> bool:
    classes = el.get("class")
    names = set(classes if isinstance(classes, list) else str(classes or "").split())
    return bool(names & _HIDDEN_CLASSES) or el.has_attr("hidden") or (
        el.get("aria-hidden") == "true")


def _shown(piece: NavigableString, scope: Tag) -> bool:
    for parent in piece.parents:
        if parent is scope:
            return True
        if _hidden(parent):
            return False
    return True


def _text(el: Tag) -> str:
    """Visible text: screen-reader-only prefixes ("Details about") are not the value."""
    parts: list[str] = []
    for piece in el.descendants:
        if type(piece) is not NavigableString:
            continue
        if _shown(piece, el):
            parts.append(str(piece))
    return clean_text(" ".join(parts))


def _attr(el: Tag, name: str) -> str | None:
    value = el.get(name)
    if isinstance(value, list):
        value = " ".join(value)
    return value if isinstance(value, str) else None


def _value(el: Tag, prop: str, base: str) -> str:
    """The microdata value of a property element (content, src, href, datetime, text)."""
    content = _attr(el, "content")
    if content is not None:
        return content.strip()
    name = el.name or ""
    if name in _SRC_TAGS:
        src = _attr(el, "src") or _attr(el, "data-src")
        return _absolute(base, src) if src else ""
    if name in _HREF_TAGS:
        href = _attr(el, "href")
        text = _text(el)
        # Names ("author") shown as profile links are the text; links proper are the href.
        if href and (prop.lower() in _URL_PROPS or not text):
            return _absolute(base, href)
        return text
    if name == "time":
        return (_attr(el, "datetime") or _text(el)).strip()
    if name in ("data", "meter"):
        return (_attr(el, "value") or _text(el)).strip()
    return _text(el)


def _add(node: dict[str, Any], prop: str, value: Any) -> None:
    if prop not in node:
        node[prop] = value
    elif isinstance(node[prop], list):
        node[prop].append(value)
    else:
        node[prop] = [node[prop], value]


def _children(el: Tag) -> list[Tag]:
    return [c for c in el.children if isinstance(c, Tag)]


def _item(scope: Tag, base: str, depth: int) -> dict[str, Any]:
    """One itemscope element as a node; nested items become nested nodes."""
    node: dict[str, Any] = {}
    kinds = (_attr(scope, "itemtype") or "").split()
    if kinds:
        node["@type"] = kinds if len(kinds) > 1 else kinds[0]
    ident = _attr(scope, "itemid") or _attr(scope, "data-reviewid")
    if ident and ident.strip():
        node["@id"] = ident.strip()
    node["@element"] = scope  # what a reader may look at beyond the properties (stars)
    stack = list(reversed(_children(scope)))
    while stack:
        el = stack.pop()
        props = (_attr(el, "itemprop") or "").split()
        if el.has_attr("itemscope"):
            if props and depth < _MAX_DEPTH:
                child = _item(el, base, depth + 1)
                for prop in props:
                    _add(node, prop, child)
            continue  # its properties are its own, not this item's
        for prop in props:
            _add(node, prop, _value(el, prop, base))
        stack.extend(reversed(_children(el)))
    return node


def _too_deep(soup: BeautifulSoup) -> bool:
    """Whether any element nests deeper than MAX_HTML_DEPTH (one pass, linear)."""
    depth: dict[int, int] = {id(soup): 0}
    for el in soup.descendants:
        if isinstance(el, Tag):
            level = depth.get(id(el.parent), 0) + 1
            if level > MAX_HTML_DEPTH:
                return True
            depth[id(el)] = level
    return False


def microdata_items(soup: BeautifulSoup, base: str,
                    cut: list[str] | None = None) -> list[dict[str, Any]]:
    """Every top-level microdata item of a page (not a property of an enclosing item).

    A page nesting deeper than MAX_HTML_DEPTH gives none, and `cut` (when given) says so.
    """
    if soup.find(itemscope=True) is None:
        return []
    if _too_deep(soup):
        if cut is not None:
            cut.append(f"HTML nested deeper than {MAX_HTML_DEPTH} levels: microdata not read")
        return []
    found: list[dict[str, Any]] = []
    for scope in soup.select("[itemscope]"):
        # A property item outside any item (a review list after the product's element)
        # belongs to no one else, so it stands on its own.
        if not scope.has_attr("itemprop") or not any(
                p.has_attr("itemscope") for p in scope.parents if isinstance(p, Tag)):
            found.append(_item(scope, base, 0))
    return found
