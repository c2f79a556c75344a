"""Alert hits POSTed to their alert's webhook: signed, retried with backoff, every failure recorded.

``deliver_due(store, settings)`` sends every hit whose delivery is due (``pending``, its
``next_try_at`` past; at most ``BATCH`` per call) and records what happened, one transaction
per hit:

* The request: ``POST`` of a JSON object (``payload``: the alert, the hit's kind, ref and
  article, the matched quote or event as the JSON API gives them, ``sent_at``) with
  ``Content-Type: application/json``, ``X-Newsgraph-Delivery: <hit seq>`` (a receiver's
  de-duplication key: a retry after a lost answer sends the same one) and
  ``X-Newsgraph-Signature: sha256=<hex HMAC-SHA256 of the body under the alert's secret>``.
* Answered 2xx: ``delivered``. Anything else (another status, a timeout, a refused connection):
  the attempt counts, the reason is stored (``last_error``), and the next try waits
  ``RETRY_BASE * 2**(attempts - 1)`` seconds, at most ``RETRY_CAP``; after ``MAX_ATTEMPTS``
  the hit is ``failed``. Redirects are not followed (a 3xx is a failure).
* Addresses: as the fetcher, a webhook whose host resolves to a private, loopback, link-local
  or reserved address is refused (``fetch.private_address``, ``failed`` at once: retrying would
  not change it) unless ``Settings.allow_private``; the connection goes to the checked
  addresses only (``sources.net.GuardedBackend`` pins them), within one deadline of
  ``3 x Settings.timeout``.

A hit is marked only after its POST returned, so a process killed in between sends it again on
the next call: delivery is at least once, and ``X-Newsgraph-Delivery`` lets a receiver drop the
repeat. ``newsgraph watch`` calls ``deliver_due`` after each round of polls.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from newsgraph.config import Settings
from newsgraph.sources.fetch import DEADLINE_FACTOR, is_forbidden_address, resolve_addresses
from newsgraph.sources.gate import one_line
from newsgraph.sources.net import Deadline, GuardedBackend, GuardedTransport
from newsgraph.store.backend import AlertHitRecord, AlertRecord
from newsgraph.store.feeds import format_time

#: Hits sent per ``deliver_due`` call.
BATCH = 100
#: Attempts before a hit's delivery is given up (``failed``).
MAX_ATTEMPTS = 6
#: Seconds before the first retry; doubles per attempt, up to ``RETRY_CAP``.
RETRY_BASE = 30.0
RETRY_CAP = 3600.0
SIGNATURE_HEADER = "X-Newsgraph-Signature"
DELIVERY_HEADER = "X-Newsgraph-Delivery"


@dataclass(slots=True)
class DeliverySummary:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


class _Refused(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``body`` under ``secret``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def payload(store: Any, alert: AlertRecord, hit: AlertHitRecord, sent_at: str) -> dict[str, Any]:
    """What is POSTed for one hit."""
    out: dict[str, Any] = {"alert": alert.name, "filters": json.loads(alert.filters), "hit": hit.seq,
                           "kind": hit.kind, "ref": hit.ref, "matched_at": hit.created_at, "sent_at": sent_at}
    try:
        stored = store.get_article(hit.article_id)
    except Exception:  # noqa: BLE001 - the article went (a merge, a deletion): the hit is still news
        out["article"] = {"id": hit.article_id}
        return out
    a = stored.article
    out["article"] = {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published,
                      "url": a.url, "language": a.language}
    index = int(hit.ref.rsplit("#", 1)[1][1:]) if "#" in hit.ref else None
    if index is not None and hit.kind == "attribution" and index < len(a.attributions):
        out["attribution"] = a.attributions[index].as_dict()
    elif index is not None and hit.kind == "event" and index < len(a.events):
        out["event"] = a.events[index].as_dict()
    return out


def retry_at(at: datetime, attempts: int) -> datetime:
    return at + timedelta(seconds=min(RETRY_CAP, RETRY_BASE * 2.0 ** max(0, attempts - 1)))


class Deliverer:
    """Sends due hits (see the module docstring); ``transport`` replaces the network (tests)."""

    def __init__(self, store: Any, settings: Settings, *, transport: httpx.BaseTransport | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        self.store, self.settings = store, settings
        self._now = now or (lambda: datetime.now(UTC))
        self._backend: GuardedBackend | None = None
        if transport is None:
            self._backend = GuardedBackend(pinned_only=not settings.allow_private)
            transport = GuardedTransport(self._backend)
        self._client = httpx.Client(transport=transport, timeout=httpx.Timeout(settings.timeout),
                                    follow_redirects=False, headers={"User-Agent": settings.user_agent})
        self._alerts: dict[str, AlertRecord | None] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Deliverer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def deliver_due(self) -> DeliverySummary:
        summary = DeliverySummary()
        with self.store.backend.read("cannot read the due deliveries") as r:
            due = list(r.due_deliveries(format_time(self._now()), BATCH))
        for hit in due:
            state = self._deliver(hit)
            setattr(summary, state, getattr(summary, state) + 1)
        return summary

    def _alert(self, name: str) -> AlertRecord | None:
        if name not in self._alerts:
            with self.store.backend.read(f"cannot read alert {name!r}") as r:
                self._alerts[name] = r.alert(name)
        return self._alerts[name]

    def _deliver(self, hit: AlertHitRecord) -> str:
        alert = self._alert(hit.alert)
        attempts = hit.attempts + 1
        try:
            if alert is None or not alert.webhook or not alert.secret:
                raise _Refused("alert.no_webhook", "the alert has no webhook any more")
            self._post(alert, hit)
        except _Refused as exc:
            terminal = exc.code in ("fetch.private_address", "fetch.invalid_url", "alert.no_webhook")
            if terminal or attempts >= MAX_ATTEMPTS:
                self._record(hit, "failed", attempts, None, f"[{exc.code}] {exc.reason}")
                return "failed"
            self._record(hit, "pending", attempts, format_time(retry_at(self._now(), attempts)),
                         f"[{exc.code}] {exc.reason}")
            return "retrying"
        self._record(hit, "delivered", attempts, None, None)
        return "delivered"

    def _record(self, hit: AlertHitRecord, delivery: str, attempts: int, next_try_at: str | None,
                error: str | None) -> None:
        with self.store.backend.write(f"cannot record the delivery of hit {hit.seq}") as w:
            w.set_delivery(hit.seq, delivery, attempts, next_try_at, one_line(error) if error else None)

    def _post(self, alert: AlertRecord, hit: AlertHitRecord) -> None:
        assert alert.webhook and alert.secret
        body = json.dumps(payload(self.store, alert, hit, format_time(self._now())), ensure_ascii=False,
                          sort_keys=True).encode("utf-8")
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(alert.secret, body),
                   DELIVERY_HEADER: str(hit.seq)}
        url = _parse(alert.webhook)
        pins = self._pins(url)
        deadline = Deadline(DEADLINE_FACTOR * self.settings.timeout)
        try:
            with self._attempt(deadline, pins):
                response = self._client.post(url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise _Refused("fetch.timeout", f"timed out: {type(exc).__name__}") from exc
        except httpx.ConnectError as exc:
            raise _Refused("fetch.unreachable", f"cannot connect: {exc}") from exc
        except httpx.HTTPError as exc:
            raise _Refused("fetch.network", f"{type(exc).__name__}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise _Refused(f"fetch.http_{response.status_code}",
                           f"HTTP {response.status_code} {response.reason_phrase}".strip())

    def _attempt(self, deadline: Deadline, pins: dict[tuple[str, int], tuple[str, ...]]) -> Any:
        import contextlib

        return contextlib.nullcontext() if self._backend is None else self._backend.attempt(deadline, pins)

    def _pins(self, url: httpx.URL) -> dict[tuple[str, int], tuple[str, ...]]:
        if self.settings.allow_private:
            return {}
        port = url.port or (443 if url.scheme == "https" else 80)
        host = url.raw_host.decode("ascii")
        try:
            addresses = [str(ipaddress.ip_address(url.host))]
        except ValueError:
            try:
                addresses = resolve_addresses(host, port)
            except (OSError, UnicodeError) as exc:
                raise _Refused("fetch.unreachable", f"cannot resolve {url.host!r}: {exc}") from exc
        for address in addresses:
            if is_forbidden_address(address):
                raise _Refused("fetch.private_address", f"{url.host} -> non-public address {address}"
                                                        " (allow_private is off)")
        return {(host, port): tuple(addresses)}


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise _Refused("fetch.invalid_url", f"invalid URL {url!r}") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise _Refused("fetch.invalid_url", f"not an http(s) URL: {url!r}")
    return parsed


def deliver_due(store: Any, settings: Settings, **kw: Any) -> DeliverySummary:
    with Deliverer(store, settings, **kw) as d:
        return d.deliver_due()
