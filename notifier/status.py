"""The answer to /status (and `monitor status`): one peer in detail, or all in a line each."""

from __future__ import annotations

from notifier.i18n import t
from notifier.views import PeerStatus, ReadModel


def _short(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else "-"


def peer_lines(status: PeerStatus, lang: str) -> list[str]:
    """One peer's status as plain lines."""
    lines = [t(lang, "status.title", name=status.name, tier=status.tier,
               platform=status.platform),
             t(lang, "status.items", items=status.items, discounted=status.discounted)]
    lines.append(t(lang, "status.ok", last_ok=_short(status.last_ok)) if status.last_ok
                 else t(lang, "status.never"))
    if status.state == "failing":
        lines.append(t(lang, "status.failing", fails=status.fails,
                       error=status.last_error or "?"))
    if status.muted_until:
        lines.append(t(lang, "status.muted", until=_short(status.muted_until)))
    return lines


def render_status(model: ReadModel, peer: str | None, lang: str = "en") -> str:
    """All peers in a line each, or one peer with its latest changes."""
    if not peer:
        rows = [t(lang, "status.all") + ":"]
        for s in model.peer_statuses():
            mark = "!" if s.state == "failing" else "-"
            rows.append(f"{mark} {s.name}: " + t(lang, "status.items", items=s.items,
                                                 discounted=s.discounted)
                        + f"; {_short(s.last_ok)}")
        return "\n".join(rows)
    status = model.peer_status(peer)
    if status is None:
        names = ", ".join(s.name for s in model.peer_statuses())
        return t(lang, "status.unknown", name=peer, names=names)
    lines = peer_lines(status, lang)
    lines.append(t(lang, "status.recent") if status.recent else t(lang, "status.none"))
    lines += [f"- {e.at[:16].replace('T', ' ')} {e.summary}" for e in status.recent]
    return "\n".join(lines)
