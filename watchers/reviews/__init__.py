"""The review watch: new reviews of our top products, negative ones alerted.

`sentiment` and `words` judge a review, `diff` finds what is new or edited; `check` reads,
decides and records (and defines `WATCH`).
"""
