"""SQLite: the one writer of state (`database`), its schema (`migrations`), and the read
side the bot and the digest use (`queries`). Implements `watchers.watch.WatchStore` and
`notifier.views.ReadModel`; knows nothing of the network.
"""
