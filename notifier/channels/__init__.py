"""One module per chat channel (console, telegram, and Telegram's two-way bot).

Channels may use the rest of `notifier`; no channel imports another, except a channel's
own two-way side (`telegram_bot` answers on `telegram`).
"""
