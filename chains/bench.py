"""The chains app's hot reads for `manage.py bench`: the enterprise list and its name search, as
district staff (who see the whole registry), each beside its floor. Figures: docs/benchmarks.md."""

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from chainparty.bench import Bound, floor_rows, register

PAGE_SIZE = 50
SEARCH = "科技"
# The page as the API gives it (the enterprise, its park, its honours with their years, its chains with
# their names and segments) and the count, in one statement: the to-many parts as arrays (of text,
# which PostgreSQL builds faster than JSON) for the page's 50 rows only. Until 2026-12-07 the floor
# left out the honours' years and the chains' names and segments, which the page shows (about 0.6 ms).
_FLOOR = """
SELECT e.id, e.name, e.credit_code, e.kind, e.size_class, e.employees, e.annual_output, e.address, e.park_id, p.name,
       ARRAY(SELECT h.honour || ' ' || h.year FROM chains_enterprisehonour h WHERE h.enterprise_id = e.id
             ORDER BY h.honour),
       ARRAY(SELECT m.chain_id || ' ' || c.name || ' ' || g.id || ' ' || g.name || ' ' || g.position
             FROM chains_chainmembership m
             JOIN chains_chain c ON c.id = m.chain_id JOIN chains_chainsegment g ON g.id = m.segment_id
             WHERE m.enterprise_id = e.id ORDER BY c.name),
       (SELECT count(*) FROM chains_enterprise x WHERE {where_x})
FROM chains_enterprise e
LEFT JOIN chains_park p ON p.id = e.park_id
WHERE {where_e}
ORDER BY e.name, e.id
LIMIT %(limit)s
"""


def _rows(response) -> tuple[list[int], int]:
    body = response.json()
    return [row["id"] for row in body["results"]], body["count"]


def _case(url: str, where: str, params: dict):
    staff = get_user_model().objects.filter(username="staff", is_active=True).first()
    if staff is None:
        yield None
        return
    client = APIClient()
    client.force_authenticate(staff)
    sql = _FLOOR.format(where_e=where.format(t="e"), where_x=where.format(t="x"))

    def floor():
        rows = floor_rows(sql, {**params, "limit": PAGE_SIZE})
        return [row[0] for row in rows], (rows[0][-1] if rows else 0)

    _, count = _rows(client.get(url))
    yield Bound(label=f"GET {url} as staff ({count:,} enterprises)", read=lambda: _rows(client.get(url)), floor=floor)


@register("chains.enterprises", goal=2, slack_ms=5)
def enterprise_list(context):
    yield from _case("/api/v1/enterprises/", "TRUE", {})


@register("chains.enterprises.search", goal=2, slack_ms=5)
def enterprise_search(context):
    # The name contains the text (a credit code has none of these characters, so it cannot match).
    where = "UPPER({t}.name) LIKE UPPER(%(like)s)"  # as Django's icontains, which the trigram index serves
    yield from _case(f"/api/v1/enterprises/?q={SEARCH}", where, {"like": f"%{SEARCH}%"})
