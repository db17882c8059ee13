"""Fakes of the outside world: loopback servers that play peer stores and Telegram."""
