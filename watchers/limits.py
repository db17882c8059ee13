"""Every limit the monitor puts on what strangers' pages can make it do, each with its reason.

Pages, sitemaps and feeds are written by someone else, sometimes against us. Each bound here
is reached only by a store far beyond a real shop or by a page built to hurt; reaching one
makes the read *incomplete* (it says which limit and what to raise), never a silent drop and
never a `listing_removed`. Fetch-level limits (bytes, redirects, time per request) live here
too so that one file answers "what are the bounds?".
"""

from __future__ import annotations

# -- One read of a source ---------------------------------------------------------------

# Documents one read of a source may fetch (per-source `max_pages` overrides it). A 5,000-
# product store read page by page needs 5,000 product pages plus a few sitemaps and
# catalogue pages; 6,000 leaves room without letting an endless catalogue run for hours.
MAX_PAGES = 6_000

# Seconds one read of a source may take in all. A whole 5,000-page store at one request a
# second is ~85 minutes; beyond two hours the next scheduled check would pile on this one.
SOURCE_DEADLINE = 2 * 3600.0

# Levels of sitemap indexes followed below the first sitemap (index -> index -> urlset is
# the deepest real shops use); a deeper or self-listing chain is cut, and says so.
SITEMAP_DEPTH = 3

# URLs kept from the sitemaps of one read (de-duplicated). The sitemap protocol allows
# 50,000 per file; three full files cover any store the monitor is meant for, and a
# 1,000,000-URL sitemap is cut here (incomplete) instead of filling memory.
MAX_SITEMAP_URLS = 150_000

# Sitemap files one read may open (an index listing 10,000 sitemaps is refused past this).
MAX_SITEMAPS = 200

# Links kept from one catalogue page: a real listing page links a few hundred items; a page
# of 100,000 links is cut here (and the read says so).
MAX_LINKS_PER_PAGE = 10_000

# -- Bytes ----------------------------------------------------------------------------

# Decompressed size of a sitemap.xml.gz served as a file (the protocol's own cap is 50 MB).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024

# -- Parsing ----------------------------------------------------------------------------

# Nesting of JSON (JSON-LD blocks, embedded state) walked in search of products. Real
# schema.org graphs nest fewer than 15 levels; a Product 50,000 levels down is a page
# built to exhaust the stack. Deeper nodes are not read and the page says it was cut.
MAX_JSON_DEPTH = 64

# Characters of one JSON-LD block that are parsed; a real block is a few KB, a 5 MB block
# is someone's whole catalogue or an attack.
MAX_LD_BLOCK_CHARS = 5_000_000

# Element nesting of an HTML page whose microdata is read. Real pages nest 30-100 levels;
# reading microdata items inside each other costs depth x items, so a page nesting 5,000
# levels took 104 s: past this depth its microdata is not read and the page says so.
MAX_HTML_DEPTH = 512

# -- One request (monitor.fetch) ----------------------------------------------------------

# Bytes of one response body after decoding (HTML, JSON, images). The biggest real pages
# (a Taobao search with its embedded state) are ~2 MB; 10 MB is a store serving a dump.
# Counted while decoding, so a compression bomb stops here too. Over it: the read fails.
MAX_BODY = 10_000_000

# Content-Encoding layers undone for one body ("gzip" is one; "gzip, gzip" two). No real
# server stacks more than two; a deeper stack is a bomb and is refused, not decoded.
MAX_CODINGS = 2

# Redirect hops followed for one request (browsers stop at about 20; a shop needs 2-3).
MAX_REDIRECTS = 10

# Seconds a browser read waits, after the page's load event, for what it came for: the
# listing's cards to appear and hold still, or the page to go quiet (no request in flight
# and no DOM change). Real shops render their cards within 1-3 s; a page that keeps
# changing (rotating ads, long polls) is read as it stands when this runs out.
BROWSER_WAIT = 10.0
