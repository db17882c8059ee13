"""The copy watch's pure judgement: is a marketplace listing a copy of our hero product?"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from watchers.copies.imaging import ImageHashes
from watchers.copies.matching import PhotoMatch, by_features, by_hashes
from watchers.extract.titles import title_similarity
from watchers.model import Event, Listing, ProductRef


@dataclass(frozen=True)
class HeroImage:
    """One image of our listing, with when the monitor first saw it (complaint evidence)."""

    url: str
    hashes: ImageHashes
    first_seen: str


@dataclass(frozen=True)
class Verdict:
    """Why a candidate is (or is not) a copy."""

    stolen_photo: bool
    same_style: bool
    title_similarity: float
    image_distance: int | None
    distances: dict[str, int]
    hero_image: HeroImage | None
    photo: PhotoMatch | None = None  # the pair behind the verdict: method and figures

    @property
    def is_copy(self) -> bool:
        """A copy uses our photo or says in its title that it is our product."""
        return self.stolen_photo or self.same_style


def _score(photo: PhotoMatch) -> int:
    # The fine, best-aligned distance is the one that tells photos apart; the coarse kinds
    # come close even for another product of the same category.
    d = photo.distances
    return d.get("fine_aligned", min(d.values(), default=64))


def judge(hero_title: str, heroes: list[HeroImage], candidate: Listing,
          image: ImageHashes | None, *, image_distance: int,
          title_threshold: float) -> Verdict:
    """Compare one candidate with our listing's title and every one of our images.

    The hashes are asked about all our images before the local features about any: most
    candidates are decided by them in a millisecond. The first of our images that the
    candidate's picture matches decides; without one, the closest by the fine hash is
    named (the distance an operator can judge by).
    """
    similarity = title_similarity(hero_title, candidate.title)
    best: tuple[int, PhotoMatch, HeroImage] | None = None
    if image is not None and heroes:
        first = [(_score(photo), photo, hero) for hero in heroes
                 for photo in [by_hashes(hero.hashes, image, image_distance)]]
        best = min(first, key=lambda found: (not found[1].same, found[0]))
        if not best[1].same:
            for score, photo, hero in first:
                second = by_features(hero.hashes, image, photo)
                if second.same:
                    best = (score, second, hero)
                    break
    return Verdict(
        stolen_photo=bool(best and best[1].same), same_style=similarity >= title_threshold,
        title_similarity=round(similarity, 3),
        image_distance=best[0] if best else None,
        distances=best[1].distances if best else {},
        hero_image=best[2] if best else None, photo=best[1] if best else None,
    )


def copy_event(hero: str, hero_price: float | None, market: str, candidate: Listing,
               verdict: Verdict, evidence: Mapping[str, Any]) -> Event:
    """The `copy_listing` alert with what an operator needs for a complaint."""
    how = "uses our photo" if verdict.stolen_photo else "copies the style"
    price = candidate.price
    if price is not None and hero_price:
        gap = (price - hero_price) / hero_price
        cmp = (f"undercuts us by {-gap:.0%} ({price:g} vs our {hero_price:g})" if gap < 0
               else f"costs {price:g} (ours {hero_price:g})")
    else:
        cmp = f"price {price:g}" if price is not None else "price unknown"
    seller = candidate.seller or "an unknown seller"
    return Event(
        kind="copy_listing", key=f"copy_listing:{hero}:{market}:{candidate.key}",
        summary=f"{market}: {seller} {how} of {hero} and {cmp}: {candidate.title}",
        store=market, product=ProductRef(candidate.title, candidate.url),
        details={
            "hero": hero, "listing_key": candidate.key,
            "kind": "stolen_photo" if verdict.stolen_photo else "same_style",
            "image_distance": verdict.image_distance,
            "title_similarity": verdict.title_similarity, "price": price,
            "hero_price": hero_price, "undercut": bool(price is not None and hero_price
                                                       and price < hero_price),
            "seller": candidate.seller, "evidence": dict(evidence),
        },
    )
