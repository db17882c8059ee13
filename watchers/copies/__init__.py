"""The copy watch: marketplace searches for copies of our hero product.

`imaging` hashes photos, `titles` compares titles, `judge` decides on a candidate; `check`
reads, decides and records (and defines `WATCH`).
"""
