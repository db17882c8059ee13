"""Where a store lists its products: robots.txt's `Sitemap:` lines, else /sitemap.xml."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from protego import Protego

from watchers.fetching import Fetcher, FetchError
from watchers.sources.base import SourceSpec


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def sitemap_candidates(fetcher: Fetcher, spec: SourceSpec,
                             respect_robots: bool | None) -> list[tuple[str, bool]]:
    """(sitemap URL, declared) to try in order: robots.txt's own (declared: a failure of
    one is a failed read), else the conventional /sitemap.xml (a guess: its absence only
    means the catalogue is crawled instead)."""
    root = _origin(spec.home or spec.url)
    try:
        doc = await fetcher.fetch(f"{root}/robots.txt", respect_robots=False)
        rules = Protego.parse(doc.text)
        declared = [urljoin(root + "/", u.strip()) for u in rules.sitemaps]
    except FetchError:
        declared = []
    except Exception:  # a robots.txt that protego cannot read names no sitemap
        declared = []
    found = [(u, True) for u in dict.fromkeys(declared) if u.startswith(("http://", "https://"))]
    return found or [(f"{root}/sitemap.xml", False)]
