"""The review watch: new reviews of our top products, negative ones alerted.

`sentiment` judges a review and says why, from `words` (the complaint word list) and
`model` (our n-gram model, weights in review_model.json) over `normal`'s text form; `diff`
finds what is new or edited; `check` reads, decides and records (and defines `WATCH`).
"""
