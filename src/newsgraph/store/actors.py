"""The actor registry over a backend: linking entities to actors, finding the actor a user
means, and the user's corrections (merge, split), replayed on every later link.

* ``link`` decides which actor an article's entity is (``newsgraph.registry``'s ``Matcher``
  over the actors sharing a blocking key with its name, with the corrections replayed);
  a new actor gets a readable key (``org:opcw``, ``org:opcw-2`` when taken).
* ``resolve`` finds the actor meant by a key, an old (merged) key, an alias, a name in
  comparison form or a surname; several -> ``store.ambiguous``; none -> ``NotFound``
  with close names.
* ``merge`` / ``split`` apply a correction now and record it, so that re-analysis and
  future articles follow it (``registry.Corrections``, cached here between corrections).
* ``prune`` drops actors no article names any more, unless a correction or a redirect
  refers to them.
* Concurrent writers (PostgreSQL): a writer claims the blocking keys of the names it links
  (``Writer.lock_names``; ``entity_blocks``) until its transaction ends, so a second writer
  meeting the same new name waits, then finds the first one's actor among its candidates
  instead of creating a twin (see ``store.postgres`` for why a lock and not a unique key).
* ``LinkCache`` (``Store.add_articles``): within one unit of work, a (name, type) -> actor
  memo that gives the very decisions ``link`` would (see its docstring for why it is exact).

Everything goes through a ``Reader``/``Writer`` (``store.backend``): no SQL here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsgraph.errors import NotFound, StoreError
from newsgraph.store.backend import Reader, Writer
from newsgraph.store.values import now
from newsgraph.types import Entity

#: How many of a candidate actor's newest articles give its context (names it was seen with).
CONTEXT_ARTICLES = 30
#: How many close names a failed actor lookup suggests.
SUGGESTIONS = 5
#: The types a user's name is tried as (``resolve``).
_LOOKUP_TYPES = ("PERSON", "ORG", "GPE", "NORP", "FAC", "EVENT", "LAW")


class ActorRegistry:
    """The store's actor registry; holds the replayed corrections between writes (one per store)."""

    def __init__(self) -> None:
        self._corr: Any = None  # newsgraph.registry.Corrections, loaded on first use
        #: Bumped by every change of the registry (an actor, a name, an alias or a block added,
        #: renamed or deleted): a ``LinkCache`` forgets its decisions when it moves.
        self.changes = 0

    # -- corrections

    def corrections(self, r: Reader) -> Any:
        from newsgraph.registry import Corrections

        if self._corr is None:
            self._corr = Corrections(r.corrections())
        return self._corr

    def forget_corrections(self) -> None:
        """The recorded corrections changed (or a correction's transaction failed): replay them again."""
        self._corr = None

    # -- linking

    def registry_type(self, r: Reader, name: str, etype: str) -> str:
        """``entity_types.registry_type`` fed with the store's actors of exactly this name."""
        return self._registry_type(r, name, etype)[0]

    @staticmethod
    def _registry_type(r: Reader, name: str, etype: str) -> tuple[str, bool]:
        """The registry type, and whether it may change with the actors' article counts alone
        (a place or person name that some organisation of that name also carries)."""
        from newsgraph.analyze.entity_types import registry_type
        from newsgraph.registry import normalise_name, type_class

        if etype.upper() not in ("GPE", "LOC", "PERSON"):
            return etype, False
        seen: dict[str, int] = {}
        for t, n in r.types_by_norm(normalise_name(name)):
            seen[type_class(t)] = seen.get(type_class(t), 0) + int(n or 0)
        return registry_type(name, etype, seen), "org" in seen

    def candidates(self, r: Reader, blocks: list[str]) -> list[Any]:
        from newsgraph.registry import Actor

        if not blocks:
            return []
        return [Actor(c.key, c.name, c.type, c.aliases) for c in r.candidate_actors(blocks)]

    def link(self, w: Writer, entity: Entity, context: list[str], cache: LinkCache | None = None) -> str:
        """The registry actor this entity is: an existing one, or a new one.

        * The name is cleaned first (``entity_credits.strip_name_prefix``: no dateline, credit
          label or non-name first word of a person: "Hosting Cook" is "Cook").
        * Its type is the registry's (``entity_types.registry_type``: a known organisation
          typed GPE or PERSON links as an ORG).
        * ``context`` (the other names of the article) goes to the matcher with the
          acronyms the article spells for this entity ("OPCW" among its mentions): acronym
          <-> expansion links need both in one article; the candidates' own context (names
          they were seen with, read lazily) lets a borderline score reach the threshold.
        * Linked to an existing actor with a fuller name form ("Donald Trump" for an actor
          called "Trump"), the actor takes that name; the acronyms become aliases.

        ``cache``: the batch's ``LinkCache``; the same decision, without the lookups when it
        holds one.
        """
        from newsgraph.analyze.entity_credits import strip_name_prefix
        from newsgraph.registry import acronym_aliases, normalise_name

        if cache is not None:
            cache.sync(self.changes)
        typed = cache.types.get((entity.name, entity.type)) if cache is not None else None
        if typed is None:
            name = strip_name_prefix(entity.name, entity.type) or entity.name
            etype, by_counts = self._registry_type(w, name, entity.type)
            if cache is not None and not by_counts:
                cache.types[(entity.name, entity.type)] = (name, etype)
        else:
            name, etype = typed
        acronyms = acronym_aliases(name, etype, {m.text for m in entity.mentions if m.text})
        want = (name, etype, entity.name, tuple(acronyms))
        if cache is not None and want in cache.keys:
            return cache.keys[want]
        before = self.changes
        here = [*context, *acronyms]
        key, context_free = self._decide(w, entity, name, etype, here, acronyms)
        if cache is not None and context_free and self.changes == before and any(map(normalise_name, here)):
            cache.keys[want] = key
        return key

    def _decide(self, w: Writer, entity: Entity, name: str, etype: str, context: list[str],
                acronyms: list[str]) -> tuple[str, bool]:
        """``link``'s decision and writes; with whether no context could have changed the decision
        (no candidate near the threshold, whose score context raises; no acronym pairing, which
        needs both names in one article)."""
        from newsgraph.registry import Matcher, fuller, name_keys

        blocks = sorted(name_keys(name, etype))
        w.lock_names(blocks)  # held already (BaseStore._lock_names) unless the type changed on the way
        candidates = self.candidates(w, blocks)
        near: list[str] = []

        def context_of(k: str) -> list[str]:
            near.append(k)  # only asked for a candidate whose score context could raise
            return w.actor_context(k, CONTEXT_ARTICLES)

        matcher = Matcher(candidates, corrections=self.corrections(w), context_of=context_of)
        decision = matcher.match(name, etype, context)
        key = matcher.root(decision.actor_key) if decision.actor_key else None
        found = w.actor(key) if key else None
        if found is None or key is None:  # no decision, or a correction names an actor that no longer exists
            key = self.new_actor(w, entity.id if etype == entity.type else f"{etype.lower()}:"
                                 + entity.id.partition(":")[2], name, etype)
        elif fuller(found.name, name, found.type):
            w.rename_actor(key, name)
            self.changes += 1
        for alias in dict.fromkeys([name, entity.name, *acronyms]):
            self.add_alias(w, key, alias, etype)
        return key, not near and not _acronym_pairs(name, etype, candidates)

    def new_actor(self, w: Writer, base: str, name: str, etype: str) -> str:
        """A new actor keyed ``base``, or ``base-2``, ``base-3`` ... when taken (by an actor or a redirect)."""
        key, n = base, 1
        while w.key_taken(key):
            n += 1
            key = f"{base}-{n}"
        w.insert_actor(key, name, etype, now())
        self.changes += 1
        return key

    def add_alias(self, w: Writer, key: str, alias: str, etype: str) -> None:
        from newsgraph.registry import name_keys, normalise_name

        if w.add_alias(key, alias, normalise_name(alias), name_keys(alias, etype)) is not False:
            self.changes += 1  # a new name or block (None: the backend cannot tell, so assume so)

    # -- finding the actor a user means

    def resolve(self, r: Reader, name_or_key: str) -> str:
        """The actor a user means by ``name_or_key`` (``entity NAME``, the entity page, merge / split).

        In order: its key; an old key a merge redirected; any alias exactly (ASCII case
        ignored); any alias in comparison form (``registry.normalise_name``: case, accents,
        titles, transliteration do not matter: "Daukante" finds "Daukantė"); then the
        registry's blocking keys of the name (a surname finds the one person carrying it:
        "daukante" finds "Jurgita Daukantė"; an alias-table form finds its group). Several
        actors -> ``store.ambiguous`` naming them; none -> ``NotFound`` suggesting close names.
        """
        from newsgraph.registry import name_keys, normalise_name

        want = name_or_key.strip()
        if r.actor(want) is not None:
            return want
        moved = r.redirect_of(want)
        if moved is not None and r.actor(moved) is not None:
            return moved  # a merged actor's old key: its links keep working
        norm = normalise_name(want)
        blocks = sorted({b for t in _LOOKUP_TYPES for b in name_keys(want, t)
                         if b.split("|", 1)[1] in ("n:" + norm, "s:" + norm) or b.split("|", 1)[1][:2] == "g:"})
        for lookup, arg in ((r.keys_by_alias, want), (r.keys_by_norm, norm), (r.keys_by_blocks, blocks)):
            if not arg:
                continue
            keys = lookup(arg)  # type: ignore[operator]
            if len(keys) == 1:
                return keys[0]
            if len(keys) > 1:
                named = ", ".join(f"{n} ({k})" for k, n in r.actor_names(keys, 10))
                raise StoreError(f"{name_or_key!r} names several actors: {named}; use a key",
                                 code="store.ambiguous")
        close = self.close_names(r, norm)
        err = NotFound(f"no actor called {name_or_key!r}"
                       + (f"; did you mean: {', '.join(close)}?" if close else ""))
        err.suggestions = close  # type: ignore[attr-defined]
        raise err

    def close_names(self, r: Reader, norm: str) -> list[str]:
        """Actor names closest to a comparison-form query (Indel similarity >= 70 of any alias)."""
        if not norm:
            return []
        from rapidfuzz import fuzz, process

        aliases: dict[str, str] = {}
        for key, alias_norm in r.alias_norms():
            if alias_norm:
                aliases.setdefault(alias_norm, key)
        found = process.extract(norm, list(aliases), scorer=fuzz.WRatio, limit=SUGGESTIONS * 3,
                                score_cutoff=70)
        out: list[str] = []
        for alias_norm, _score, _ in found:
            actor = r.actor(aliases[alias_norm])
            if actor is not None and actor.name not in out:
                out.append(actor.name)
            if len(out) >= SUGGESTIONS:
                break
        return out

    # -- corrections

    def merge(self, w: Writer, a: str, b: str) -> str:
        """Actor ``b`` is actor ``a``: one actor from now on (returned), also for future articles."""
        ka, kb = self.resolve(w, a), self.resolve(w, b)
        if ka == kb:
            raise StoreError(f"{a!r} and {b!r} are already one actor ({ka}); nothing to merge",
                             code="store.bad_correction")
        w.record_correction({"op": "merge", "a": ka, "b": kb}, now())
        self.changes += 1
        self.redirect(w, kb, ka)
        w.relink_entities(kb, ka)
        w.copy_names(kb, ka)
        w.delete_actor(kb)
        w.recount_actor(ka)
        return ka

    def split(self, w: Writer, actor: str, alias: str) -> str:
        """``alias`` is not ``actor``: it becomes an actor of its own (returned)."""
        ka = self.resolve(w, actor)
        name = w.alias_of(ka, alias.strip())
        if name is None:
            raise StoreError(f"{actor!r} has no alias {alias!r}", code="store.bad_correction")
        found = w.actor(ka)
        assert found is not None
        etype = found.type
        if len(w.aliases(ka)) < 2:
            raise StoreError(f"{name!r} is the only name of {ka}; nothing to split",
                             code="store.bad_correction")
        from newsgraph.analyze.entity_types import slug

        # The key this name would have had as an actor of its own (often the key it had
        # before a merge): a redirect from it is taken back, so its old links work again.
        base = f"{etype.lower()}:{slug(name)}"
        w.delete_redirect(base, ka)
        self.changes += 1
        kb = self.new_actor(w, base, name, etype)
        w.delete_alias(ka, name)
        self.add_alias(w, kb, name, etype)
        w.relink_entities(ka, kb, name=name)
        # The old actor keeps the blocking keys of its remaining names only.
        w.delete_blocks(ka)
        for other in w.aliases(ka):
            self.add_alias(w, ka, other, etype)
        w.recount_actor(ka)
        w.recount_actor(kb)
        w.record_correction({"op": "split", "a": ka, "b": kb}, now())
        w.record_correction({"op": "unlink", "name": name, "type": etype, "key": ka}, now())
        return kb

    @staticmethod
    def redirect(w: Writer, old_key: str, new_key: str) -> None:
        """``old_key`` (about to disappear) now means ``new_key``; redirects to it follow along (no chains)."""
        w.retarget_redirects(old_key, new_key)
        w.set_redirect(old_key, new_key, now())
        w.drop_loops()

    def prune(self, w: Writer, keys: Iterable[str]) -> None:
        """Drop actors no article names any more, unless a correction or a redirect refers to them."""
        for key in keys:
            found = w.actor(key)
            if found is None or found.n_articles != 0:
                continue
            if w.named_in_corrections(key) or w.redirected_to(key):
                continue
            w.delete_actor(key)
            self.changes += 1


class LinkCache:
    """What ``ActorRegistry.link`` decided within one unit of work (``Store.add_articles``), so the
    same name is not looked up and matched again article after article.

    It is exact: a hit returns the actor the full ``link`` would return and skips only writes
    that would change nothing. A decision is kept only when nothing else it depends on can
    differ for the next entity of that (name, type, acronyms):

    * the registry did not change while it was made, and the cache forgets everything as soon
      as the registry changes (``ActorRegistry.changes``: an actor, a name or a blocking key
      added, renamed or deleted), so the candidates and their names are the same;
    * no candidate was near the threshold (the only case where the article's context or the
      candidates' own context, which grows with every article, enters the score) and no
      acronym pairing was possible (it needs both names in the query's own article);
    * the registry type did not depend on article counts (``_registry_type``), which every
      article changes; such names are typed again each time (one indexed read);
    * the decision was made with a non-empty context (otherwise nearness went untested).

    Corrections do not change within a batch (merges and splits are units of work of their own).
    """

    def __init__(self) -> None:
        self.types: dict[tuple[str, str], tuple[str, str]] = {}
        self.keys: dict[tuple[str, str, str, tuple[str, ...]], str] = {}
        self._changes = -1

    def sync(self, changes: int) -> None:
        """Forget every decision if the registry changed since the last look."""
        if changes != self._changes:
            self.types.clear()
            self.keys.clear()
            self._changes = changes


def entity_blocks(entity: Entity) -> set[str]:
    """The registry's blocking keys ``link`` may look ``entity`` up by: its cleaned name's, as its own
    type and as an organisation (``entity_types.registry_type`` may make a place or person an ORG).
    A writer claims these (``Writer.lock_names``) before linking, so no other writer decides about
    a candidate of the same name at the same time."""
    from newsgraph.analyze.entity_credits import strip_name_prefix
    from newsgraph.registry import name_keys

    name = strip_name_prefix(entity.name, entity.type) or entity.name
    return name_keys(name, entity.type) | name_keys(name, "ORG")


def _acronym_pairs(name: str, etype: str, candidates: list[Any]) -> bool:
    """Whether the matcher could pair ``name`` with a candidate as acronym and expansion (a rule
    that needs the expansion in the query's article): both organisations sharing an acronym
    blocking key, one of them written as that acronym (``registry.name_keys``)."""
    from newsgraph.registry import name_keys, normalise_name, type_class

    if type_class(etype) != "org":
        return False
    own = name_keys(name, etype)
    acros = {k for k in own if k.startswith("org|a:")}
    if not acros:
        return False
    mine = "org|a:" + normalise_name(name) in own
    for cand in candidates:
        for other in cand.names():
            keys = name_keys(other, cand.type)
            if keys & acros and (mine or "org|a:" + normalise_name(other) in keys):
                return True
    return False
