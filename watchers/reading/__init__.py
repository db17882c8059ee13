"""Reading one source whole: crawl (pages, sitemaps, links), prior knowledge, the result."""

from watchers.reading.crawl import read_source
from watchers.reading.prior import Prior
from watchers.reading.result import PERSON_BLOCKS, ReadResult

__all__ = ["PERSON_BLOCKS", "Prior", "ReadResult", "read_source"]
