"""Where our hero's price stands among the peers' same-style items (`price_position`).

`rank` is the pure matching and placing; `check` reads our listing, the peers' stored
items, decides and records (and defines `WATCH`); `answers` gives the digest its lines.
"""
