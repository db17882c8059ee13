"""The peer watch: a peer's catalogue read, diffed against the stored one, recorded.

`diff` is the pure comparison; `check` reads, decides and records (and defines `WATCH`).
"""
