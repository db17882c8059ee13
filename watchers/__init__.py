"""The ground floor: the domain. Imports neither `monitor` nor `notifier`.

At the root: records and events (`model`), the interfaces a watch needs (`fetching`,
`watch`, `settings`), the reading of one source (`reading`), source health (`health`) and
the registry of watches. `sources/` has one pure reader per platform, `extract/` the
helpers they share, and each watch is one package (`peers/`, `copies/`, `reviews/`,
`season/`) holding its pure logic and its check step; watches never import each other.
"""
