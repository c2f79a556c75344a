"""Alert webhooks against a loopback receiver: signed JSON, retries with backoff, failures recorded,
private addresses refused unless allowed (``newsgraph.alert_delivery``)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsgraph.alert_delivery import MAX_ATTEMPTS, Deliverer
from newsgraph.config import Settings
from newsgraph.store import alerts, open_store
from newsgraph.store.alerts import AlertFilters
from newsgraph.store.feeds import parse_time
from tests.store_contract.test_alerts import art

SECRET = "s3cret-key"
LOOPBACK = Settings(allow_private=True, timeout=2.0)


class Receiver:
    """Answers POSTs with the statuses in ``answers`` (the last repeats); keeps each body and header."""

    def __init__(self) -> None:
        self.got: list[tuple[dict[str, str], bytes]] = []
        self.answers = [204]
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.got.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def test_each_hit_is_posted_once_signed_with_the_alerts_secret(receiver: Receiver, tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db") as store:
        alerts.add(store, "threats", AlertFilters(event_type="THREATEN"), webhook=receiver.url, secret=SECRET)
        store.add_article(art(1))
        store.add_article(art(2))
        assert alerts.check(store) == 2
        with Deliverer(store, LOOPBACK) as d:
            assert d.deliver_due().delivered == 2
            assert d.deliver_due().delivered == 0  # delivered: never sent again
        _, hits = alerts.hits(store, "threats")
    assert {h.delivery for h in hits} == {"delivered"} and {h.attempts for h in hits} == {1}
    assert len(receiver.got) == 2
    for headers, body in receiver.got:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["x-newsgraph-signature"], expected)
        sent = json.loads(body)
        assert sent["alert"] == "threats" and sent["kind"] == "event" and sent["event"]["type"] == "THREATEN"
        assert sent["article"]["title"].startswith("Report ") and headers["x-newsgraph-delivery"] == str(sent["hit"])


def test_a_failing_receiver_is_retried_with_backoff_then_given_up(receiver: Receiver, tmp_path: Path) -> None:
    receiver.answers = [500, 503, 204]
    clock = [datetime.now(UTC) + timedelta(minutes=1)]  # hits are due from when they are recorded
    with open_store(tmp_path / "a.db") as store:
        alerts.add(store, "all", AlertFilters(), webhook=receiver.url, secret=SECRET)
        store.add_article(art(1))
        alerts.check(store)
        with Deliverer(store, LOOPBACK, now=lambda: clock[0]) as d:
            assert d.deliver_due().retrying == 1
            (hit,) = alerts.hits(store, "all")[1]
            assert (hit.delivery, hit.attempts, hit.last_error) == ("pending", 1,
                                                                    "[fetch.http_500] HTTP 500 Internal Server Error")
            assert parse_time(hit.next_try_at) == clock[0] + timedelta(seconds=30)
            assert d.deliver_due().retrying == 0  # not due yet: nothing sent
            clock[0] += timedelta(seconds=30)
            assert d.deliver_due().retrying == 1
            assert parse_time(alerts.hits(store, "all")[1][0].next_try_at) == clock[0] + timedelta(seconds=60)
            clock[0] += timedelta(seconds=60)
            assert d.deliver_due().delivered == 1
        assert len(receiver.got) == 3 and len({body for _, body in receiver.got}) == 3  # sent_at differs
        assert {h["x-newsgraph-delivery"] for h, _ in receiver.got} == {str(hit.seq)}  # one delivery id

        receiver.answers = [500]  # from now on it always fails
        store.add_article(art(2))
        alerts.check(store)
        with Deliverer(store, LOOPBACK, now=lambda: clock[0]) as d:
            for _ in range(MAX_ATTEMPTS):
                d.deliver_due()
                clock[0] += timedelta(hours=2)
            assert d.deliver_due().failed == 0  # given up: not tried again
        newest = alerts.hits(store, "all")[1][0]
        assert (newest.delivery, newest.attempts) == ("failed", MAX_ATTEMPTS)
        assert newest.last_error and "500" in newest.last_error


def test_a_private_webhook_is_refused_unless_allowed(receiver: Receiver, tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db") as store:
        alerts.add(store, "all", AlertFilters(), webhook=receiver.url, secret=SECRET)
        store.add_article(art(1))
        alerts.check(store)
        with Deliverer(store, Settings(timeout=2.0)) as d:
            assert d.deliver_due().failed == 1
        (hit,) = alerts.hits(store, "all")[1]
    assert hit.delivery == "failed" and hit.last_error and hit.last_error.startswith("[fetch.private_address]")
    assert receiver.got == []  # nothing reached the loopback receiver


def test_the_watcher_posts_the_hits_of_what_it_stores(receiver: Receiver, tmp_path: Path) -> None:
    from newsgraph.store import feeds as feedlist
    from newsgraph.watch import Watcher
    from tests.feed_server import FeedSite

    site = FeedSite()
    try:
        site.add("/a.xml", 1, 2)
        with open_store(tmp_path / "a.db") as store:
            feedlist.follow(store, [(site.url("/a.xml"), None)])
            alerts.add(store, "ledger", AlertFilters(query="talks"), webhook=receiver.url, secret=SECRET)
            settings = LOOPBACK.replace(politeness_delay=0.0, retries=0)
            w = Watcher(store, settings, interval=0.0, max_backoff=1.0, analyze=False, workers=1)
            w.run(once=True)
            assert (w.summary.alert_hits, w.summary.delivered) == (2, 2)
    finally:
        site.close()
    assert sorted(json.loads(body)["article"]["title"] for _, body in receiver.got) == [
        "Talks resume, day 1", "Talks resume, day 2"]
