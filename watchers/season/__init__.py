"""The season watch: what the peers launched for the coming season, and whether it sells.

`lexicon` and `calendar` classify items and dates, `advice` decides; `check` reads the
peers' recorded items, decides and records (and defines `WATCH`).
"""
