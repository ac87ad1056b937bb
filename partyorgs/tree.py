"""The organization tree in SQL: descendants, ancestors and rolled-up member counts, each one
recursive CTE (design: "trees — a recursive CTE"), whatever the depth or the number of nodes.

``UNION`` (not ``UNION ALL``) in every CTE: were a cycle ever in the table (the services refuse one,
but rows can come from elsewhere), the recursion still ends, as a repeated row adds nothing."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from partyorgs.models import PartyOrganization


def _table() -> str:
    return connection.ops.quote_name(PartyOrganization._meta.db_table)


def _within(visible: QuerySet[PartyOrganization] | None, alias: str) -> tuple[str, list]:
    """An SQL condition keeping the walk inside ``visible`` (a user's scope), or nothing."""
    if visible is None:
        return "", []
    # order_by(): a DISTINCT query selects its ordering columns too, which IN (...) cannot take.
    sql, params = visible.order_by().values("pk").query.sql_with_params()
    return f" AND {alias}.id IN ({sql})", list(params)


def descendant_ids(root_id: int, *, visible: QuerySet[PartyOrganization] | None = None) -> list[int]:
    """The ids below ``root_id`` (children, their children, ...), not the root itself: one query.
    With ``visible``, the walk goes only through organizations in it."""
    table = _table()
    within, params = _within(visible, "o")
    sql = (
        f"WITH RECURSIVE tree(id) AS ("
        f"SELECT o.id FROM {table} o WHERE o.parent_id = %s{within} "
        f"UNION SELECT o.id FROM {table} o JOIN tree t ON o.parent_id = t.id WHERE TRUE{within}"
        f") SELECT id FROM tree ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [root_id, *params, *params])
        return [row[0] for row in cursor.fetchall()]


def ancestor_ids(org_id: int) -> list[int]:
    """The superiors of ``org_id``, nearest first, not the organization itself: one query."""
    table = _table()
    sql = (
        f"WITH RECURSIVE up(id, parent_id, depth) AS ("
        f"SELECT o.id, o.parent_id, 0 FROM {table} o WHERE o.id = %s "
        f"UNION SELECT o.id, o.parent_id, u.depth + 1 FROM {table} o JOIN up u ON o.id = u.parent_id "
        # depth bounds the walk should a cycle exist (UNION alone would not, as depth differs).
        f"WHERE u.depth < 1000"
        f") SELECT id FROM up WHERE depth > 0 ORDER BY depth"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_id])
        seen: list[int] = []
        for (pk,) in cursor.fetchall():
            if pk in seen or pk == org_id:
                break
            seen.append(pk)
        return seen


@dataclass(frozen=True)
class Rollup:
    """An organization with everything below it: organizations, formal and probationary members."""

    organizations: int
    formal: int
    probationary: int

    @property
    def total(self) -> int:
        return self.formal + self.probationary


def rollups(root_ids: list[int], *, visible: QuerySet[PartyOrganization] | None = None) -> dict[int, Rollup]:
    """For each of ``root_ids``: its subtree's organization count and member sums (itself included),
    in one query. With ``visible``, only organizations in it are walked and counted."""
    if not root_ids:
        return {}
    table = _table()
    within, params = _within(visible, "o")
    # IN with one placeholder per id rather than PostgreSQL's ANY(array): the embedded SQLite runs it too.
    roots = ", ".join(["%s"] * len(root_ids))
    sql = (
        f"WITH RECURSIVE tree(root_id, id) AS ("
        f"SELECT o.id, o.id FROM {table} o WHERE o.id IN ({roots}) "
        f"UNION SELECT t.root_id, o.id FROM {table} o JOIN tree t ON o.parent_id = t.id WHERE TRUE{within}"
        f") SELECT t.root_id, COUNT(*), COALESCE(SUM(o.formal_members), 0), COALESCE(SUM(o.probationary_members), 0) "
        f"FROM tree t JOIN {table} o ON o.id = t.id GROUP BY t.root_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*root_ids, *params])
        return {root: Rollup(count, formal, probationary) for root, count, formal, probationary in cursor.fetchall()}


def subtrees(root_ids: list[int]) -> dict[int, list[int]]:
    """For each of ``root_ids``: the ids of its subtree, itself first, in one query."""
    if not root_ids:
        return {}
    table = _table()
    roots = ", ".join(["%s"] * len(root_ids))
    sql = (
        f"WITH RECURSIVE tree(root_id, id) AS ("
        f"SELECT o.id, o.id FROM {table} o WHERE o.id IN ({roots}) "
        f"UNION SELECT t.root_id, o.id FROM {table} o JOIN tree t ON o.parent_id = t.id"
        f") SELECT root_id, id FROM tree ORDER BY root_id, id"
    )
    result: dict[int, list[int]] = {pk: [pk] for pk in root_ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(root_ids))
        for root, pk in cursor.fetchall():
            if pk != root:
                result[root].append(pk)
    return result
