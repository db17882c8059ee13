"""The running product: the runner over the watch registry, the scheduler of `monitor run`,
delivery from the outbox, and what the operators may change from the chat.
"""
