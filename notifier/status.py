"""The answer to /status (and `monitor status`): one peer in detail, or all in a line each."""

from __future__ import annotations

from notifier import fmt
from notifier.i18n import has, n, t
from notifier.render import error_text, event_text
from notifier.views import PeerStatus, ReadModel


def tier_name(tier: str, lang: str) -> str:
    """leader → 头部 (an unknown tier as written)."""
    return t(lang, f"tier.{tier}") if has(lang, f"tier.{tier}") else tier


def peer_lines(status: PeerStatus, lang: str) -> list[str]:
    """One peer's status as plain lines."""
    lines = [t(lang, "status.title", name=fmt.cut(status.name, fmt.NAME_MAX),
               tier=tier_name(status.tier, lang), platform=status.platform),
             t(lang, "status.items", items=n(lang, "listed", status.items),
               discounted=status.discounted)]
    lines.append(t(lang, "status.ok", last_ok=fmt.moment(status.last_ok, lang))
                 if status.last_ok else t(lang, "status.never"))
    if status.state == "failing":
        lines.append(t(lang, "status.failing", fails=n(lang, "in_a_row", status.fails),
                       error=error_text(status.last_error, lang)))
    if status.muted_until:
        lines.append(t(lang, "status.muted", until=fmt.moment(status.muted_until, lang)))
    if status.read_limit:
        lines.append(t(lang, "status.limit", limit=fmt.cut(status.read_limit, 300)))
    if status.read_note:
        lines.append(t(lang, "status.read_note", note=fmt.cut(status.read_note, 300)))
    return lines


def render_status(model: ReadModel, peer: str | None, lang: str = "en") -> str:
    """All peers in a line each, or one peer with its latest changes."""
    if not peer:
        rows = [t(lang, "status.all")]
        for s in model.peer_statuses():
            mark = "⚠" if s.state == "failing" else "•"
            muted = " 🔕" if s.muted_until else ""
            rows.append(t(lang, "status.row", mark=mark, name=fmt.cut(s.name, fmt.NAME_MAX),
                          items=t(lang, "status.items", items=n(lang, "listed", s.items),
                                   discounted=s.discounted),
                          last_ok=fmt.moment(s.last_ok, lang) if s.last_ok else "-") + muted)
        return "\n".join(rows)
    status = model.peer_status(peer)
    if status is None:
        names = fmt.join((s.name for s in model.peer_statuses()), lang)
        return t(lang, "status.unknown", name=fmt.cut(peer, fmt.NAME_MAX), names=names)
    lines = peer_lines(status, lang)
    lines.append(t(lang, "status.recent") if status.recent else t(lang, "status.none"))
    lines += [f"• {fmt.moment(e.at, lang)} {event_text(e, lang)}" for e in status.recent]
    return "\n".join(lines)
