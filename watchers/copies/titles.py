"""Same-style titles: moved to `watchers.extract.titles`, which the position watch shares."""

from watchers.extract.titles import (
    CONFLICT_FACTOR,
    is_same_style,
    normalise_title,
    title_similarity,
)

__all__ = ["CONFLICT_FACTOR", "is_same_style", "normalise_title", "title_similarity"]
