"""The top floor: the composition root and the adapters of the outside world.

Rooms: `fetch/` (the network), `store/` (SQLite), `service/` (runner, scheduler, delivery,
the bot's wiring); at the root the edge: `cli`, `commands`, `config`, `settings`, `app`,
`clock`, `logs`, `demo`. May import `notifier` and `watchers`; nothing imports it.
"""
