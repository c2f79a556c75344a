"""newsgraph: raw news in, clean articles and who-said-what out.

    >>> from newsgraph import RawDocument, extract, open_store
    >>> article = extract(RawDocument(source="page.html", kind="html", data=html))
    >>> with open_store("newsgraph.db") as store:
    ...     store.add_article(article)
"""

from newsgraph.config import Settings, load_settings
from newsgraph.errors import NewsgraphError
from newsgraph.extract import extract
from newsgraph.store import open_store
from newsgraph.types import Article, Failure, RawDocument, Removed

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Failure",
    "NewsgraphError",
    "RawDocument",
    "Removed",
    "Settings",
    "__version__",
    "extract",
    "load_settings",
    "open_store",
]
