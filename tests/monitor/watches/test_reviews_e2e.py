"""Negative reviews of our top products, end to end over loopback review pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from monitor.cli import main
from tests.fakes.http import LoopbackServer, Reply, Request


@dataclass
class ReviewPage:
    """Reviews newest first, two per page; tests add reviews and break pages."""

    reviews: list[dict[str, object]] = field(default_factory=list)
    fail_pages: set[int] = field(default_factory=set)
    per_page: int = 2

    def add(self, rid: str, stars: int, text: str, author: str = "买家",
            date: str = "2026-03-01") -> None:
        self.reviews.insert(0, {"id": rid, "stars": stars, "text": text, "author": author,
                                "date": date})

    def html_page(self, req: Request) -> Reply:
        page = int(parse_qs(urlsplit(req.path).query).get("page", ["1"])[0])
        if page in self.fail_pages:
            return Reply("busy", 503)
        chosen = self.reviews[(page - 1) * self.per_page: page * self.per_page]
        items = "".join(
            f'<div class="rev" data-id="{r["id"]}"><span class="stars">{r["stars"]}/5</span>'
            f'<p class="body">{r["text"]}</p><em class="who">{r["author"]}</em>'
            f'<time>{r["date"]}</time></div>' for r in chosen)
        more = len(self.reviews) > page * self.per_page
        nxt = f'<a class="next" href="/top/reviews?page={page + 1}">next</a>' if more else ""
        return Reply(f"<html><body>{items}{nxt}</body></html>")


CONFIG = """
[monitor]
database = "m.db"
host_interval = "0s"
respect_robots = false

[alerts]
negative_rating = 3

[[top]]
name = "Hero Jeans"
url = "{root}/top/item"
reviews = "{root}/top/reviews"
platform = "html"
layout = "rev"

[layouts.rev.reviews]
item = "div.rev"
id = "@data-id"
rating = "span.stars"
text = "p.body"
author = "em.who"
date = "time"
next = "a.next@href"
"""


@dataclass
class World:
    page: ReviewPage
    config: Path


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    page = ReviewPage()
    page.add("r1", 1, "Terrible, fell apart", author="old1", date="2026-01-02")
    page.add("r2", 5, "很好看，尺码合适", author="old2", date="2026-01-05")
    with LoopbackServer({"/top/reviews": page.html_page}) as server:
        path = tmp_path / "config.toml"
        path.write_text(CONFIG.replace("{root}", server.url), encoding="utf-8")
        yield World(page, path)


def check(world: World, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]]]:
    code = main(["check", "--config", str(world.config), "--json", "--no-send",
                 "--only", "reviews"])
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines if line.strip()]


def test_old_reviews_are_a_silent_baseline_and_new_bad_ones_alert_once(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(world, capsys) == (0, [])
    world.page.add("r3", 2, "尺码偏小，不太满意", author="小王")
    world.page.add("r4", 5, "质量很好，没有色差，会回购", author="小李")
    world.page.add("r5", 4, "款式还行但是质量差，洗了就起球", author="小张")
    code, events = check(world, capsys)
    assert code == 0
    assert sorted((e["kind"], e["details"]["author"]) for e in events) == [
        ("negative_review", "小张"), ("negative_review", "小王")]
    first = next(e for e in events if e["details"]["author"] == "小王")
    assert first["details"]["rating"] == 2
    assert first["details"]["text"] == "尺码偏小，不太满意"
    assert first["details"]["posted"] == "2026-03-01"
    assert first["store"] == "own"
    assert check(world, capsys) == (0, [])


def test_a_failed_second_page_loses_and_repeats_nothing(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    check(world, capsys)
    world.page.add("r3", 1, "破损了", author="a")
    world.page.add("r4", 1, "假货", author="b")
    world.page.add("r5", 2, "不值这个价", author="c")  # r3 is now on page 2
    world.page.fail_pages.add(2)
    code, events = check(world, capsys)
    assert code == 1
    assert sorted(e["details"]["author"] for e in events) == ["b", "c"]
    world.page.fail_pages.clear()
    code, events = check(world, capsys)
    assert code == 0
    assert [e["details"]["author"] for e in events] == ["a"]
    assert check(world, capsys) == (0, [])


def test_the_alert_says_why_a_review_counts_as_negative(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(world, capsys) == (0, [])
    world.page.add("r3", 2, "尺码偏小", author="小王")
    world.page.add("r5", 4, "款式好看但是质量差，洗了就起球", author="小张")
    code, events = check(world, capsys)
    why = {e["details"]["author"]: (e["details"]["reason"], e["details"]["cues"]) for e in events}
    assert code == 0
    assert why == {"小王": ("rating", ["2★"]), "小张": ("complaint", ["质量差", "起球"])}
    # As a Chinese team reads it (the chats' templates), the alert gives the reason in words.
    text = world.config.read_text(encoding="utf-8")
    world.config.write_text(text.replace('database = "m.db"', 'database = "m.db"\nlanguage = "zh"'),
                            encoding="utf-8")
    world.page.add("r6", 4, "还行吧，凑合穿", author="小赵")  # a 中评: medium words
    assert main(["check", "--config", str(world.config), "--only", "reviews"]) == 0
    out = capsys.readouterr().out
    assert "判为差评：提到 还行、凑合" in out
