"""newsgraph: raw news in, clean articles and who-said-what out."""

from newsgraph.config import Settings, load_settings
from newsgraph.errors import NewsgraphError
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
    "load_settings",
]
