"""The Idempotency-Key through a real server: ten clients posting one submission with one key at the
same instant, each over its own HTTP connection to the live (threaded) server and so in its own
database session, get one issue — one 201 that made it and nine 201s replaying it
(`Idempotent-Replayed: true`), every one naming the same issue."""

import json
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from issues.models import Issue, IssueEvent
from tests.concurrency import in_threads


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_posts_with_one_key_make_one_issue(live_server, world, categories, calendar_2026):
    token = Token.objects.create(user=world.contact_a).key
    body = json.dumps(
        {"enterprise": world.ent_a1.pk, "category": "request", "title": "同时提交", "description": "十个客户端"}
    ).encode()

    def post():
        request = urllib.request.Request(  # noqa: S310 - the test's own server
            f"{live_server.url}/api/v1/issues/",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": "live-race-key",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the test's own server
            return response.status, response.headers.get("Idempotent-Replayed"), json.load(response)

    answers = in_threads(*[post] * 10)
    assert [status for status, _replayed, _body in answers] == [201] * 10
    assert sorted(replayed or "" for _status, replayed, _body in answers) == [""] + ["true"] * 9
    assert len({body["number"] for _status, _replayed, body in answers}) == 1
    assert Issue.objects.count() == 1
    assert IssueEvent.objects.filter(action="submit").count() == 1
