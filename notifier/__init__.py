"""The middle floor: who is told and how.

One channel interface (`channel`), one module per channel in `channels/`, the bot's
commands apart from any transport (`commands`), rendering, the digest and its chart.
May import `watchers` (for the event types), never `monitor`.
"""
