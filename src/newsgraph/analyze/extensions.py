"""Every custom Doc attribute newsgraph sets, registered once.

Values are plain JSON-able data (dicts, lists, tuples of ints), never custom
objects: ``nlp.pipe(..., n_process>1)`` ships Docs between processes with
``doc.to_bytes()``, which carries ``user_data``. Defaults are None, never a
list or dict (a mutable default would be one object shared by every Doc, in
every thread); each component sets a new value on each Doc.

``doc._.attributions``: a list of dicts, one per attribution::

    {
      "kind": "direct" | "indirect" | "mixed",
      "cue": [start, end] | None,          # character offsets into doc.text, end exclusive
      "content": [start, end],             # the outer extent of the content
      "content_spans": [[s, e], ...],      # the content's fragments when discontinuous
                                           # ("X," he said, "Y."), else [[start, end]]
      "source": [start, end] | None,       # the noun phrase as written ("He", "the president")
      "via": [start, end] | None,          # the reporting source in "X said, according to Y, ..."
      "confidence": float,                 # calibrated probability that it is right (confidence.py)
      "source_entity": str | None,         # set by newsgraph_speakers: canonical name
      "via_entity": str | None,            #   (the fullest name in the article)
      "statement": bool,                   # a statement a reader is shown (attr_statements.py)
      "negated": bool,                     # "have not said", "declined to say"
      "frame": str,                        # quote | clause | question | according | colon |
                                           # infinitive | object | preposition | noun | ...
      "category": str | None,              # the cue's category: speech, belief, intention, ...
    }

``doc._.entities``: a list of dicts, one per actor of the article (set by
newsgraph_entities; names agree with ``source_entity``)::

    {"id": "person:vladimir-putin", "name": "Vladimir Putin", "type": "PERSON",
     "mentions": [[start, end], ...]}

``doc._.events``: a list of dicts (set by newsgraph_events), see
``newsgraph.analyze.events`` for the keys.

``doc._.analysis``: the one exception to "plain data": the document's
:class:`~newsgraph.analyze.doc_analysis.DocAnalysis` (mentions, clusters,
roles, resolution), built once by the first component that needs it
(``doc_analysis.analysis_of``) and shared by speakers, entities and events.
``doc.to_bytes()`` writes None in its place (a msgpack encoder registered by
``doc_analysis``), so Docs still travel between processes.
"""

from __future__ import annotations

from spacy.tokens import Doc

EXTENSIONS: dict[str, object] = {"attributions": None, "entities": None, "events": None, "analysis": None}


def register_extensions() -> None:
    """Register the Doc extensions (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
