"""The polite network: HTTP fetcher, headless browser, politeness, robots.txt, HTTP cache,
cookies and the one-off login. Implements `watchers.fetching.Fetcher`; knows nothing of the
store (the HTTP cache reaches it through a small protocol) nor of the service.
"""
