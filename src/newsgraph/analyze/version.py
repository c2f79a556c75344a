"""Which analysis filled an article: a name that changes whenever the analysis could.

``analysis_version()`` is ``"newsgraph <version>+<digest>/<model> <model version>"``:
the digest covers the analysis code, its lexicons and fitted model (every ``*.py``,
``data/*.tsv`` and ``data/*.json`` of this package) and the shared vocabularies
(``newsgraph/vocab.py``), so any upgrade that could change what is found
gives a new name. The store keeps it per article (``articles.analysis``), and
``newsgraph analyze --store --all`` re-analyses the articles whose name differs.
Computed once per process from files, without loading spaCy.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata, resources


@lru_cache(maxsize=1)
def analysis_version() -> str:
    from newsgraph.analyze import MODEL_NAMES

    digest = hashlib.sha256()
    root = resources.files("newsgraph.analyze")
    files = [f for f in root.iterdir() if f.name.endswith(".py")]
    data = root / "data"
    if data.is_dir():  # lexicons (.tsv) and the fitted confidence model (.json)
        files += [f for f in data.iterdir() if f.name.endswith((".tsv", ".json"))]
    files.append(resources.files("newsgraph") / "vocab.py")  # credit, month and quote vocabularies
    for f in sorted(files, key=lambda f: f.name):
        digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return f"newsgraph {_version('newsgraph')}+{digest.hexdigest()[:12]}/{_model(MODEL_NAMES)}"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _model(names: tuple[str, ...]) -> str:
    for name in names:
        version = _version(name.replace("_", "-"))
        if version != "unknown":
            return f"{name} {version}"
    return "no model"
