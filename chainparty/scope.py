"""Scope, the one way: what a user may see is a queryset filtered in SQL (each model's
``.visible_to(user)`` or a selector built on it), and a single object outside it does not exist —
a 404 on every route, page or API, never a 403 that would confirm it is there."""

from typing import TYPE_CHECKING, Any, Generic, Self, TypeGuard, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Expression, Model, Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:  # accounts.models imports nothing from here; the names are for the checker only
    from accounts.models import AnyUser, User

M = TypeVar("M", bound=Model)


def in_business_scope(user: "AnyUser") -> "TypeGuard[User]":
    """Signed in and active: only such a user sees any business data (and, past this check, the type
    checker knows it is a User)."""
    return user.is_authenticated and user.is_active


def sees_everything(user: "AnyUser") -> bool:
    """District staff: ScopedQuerySet.visible_to filters nothing for them, so a read may leave out a
    filter by what they see (a subquery over a whole table)."""
    return in_business_scope(user) and user.is_district_staff


class CountedScope(Expression):
    """A scope filter that knows a cheaper way to be counted: `ids`, a query of the ids of the same
    rows (the UNION of each role's set). Filtering renders `condition` as it is, so a page keeps the
    plan that walks the ordering's index; ScopedQuerySet.count() counts `ids` instead when the scope
    is the only filter (the list's paginator count, the hot one), which is an index-only scan of each
    set rather than the OR evaluated on every row of the table."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, condition: Q, ids: QuerySet) -> None:
        super().__init__(output_field=BooleanField())
        self.condition, self.ids = condition, ids
        self.clause: Any = None  # the condition resolved against its query (a WhereNode)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        # Once resolved against its own query, a second call (the query used as a subquery) only
        # resolves what refers outwards, as the rest of that query's WHERE.
        source = self.condition if self.clause is None else self.clause
        resolved.clause = source.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return resolved

    def get_source_expressions(self):
        return [] if self.clause is None else [self.clause]

    def set_source_expressions(self, exprs):
        if exprs:
            (self.clause,) = exprs

    def as_sql(self, compiler, connection):
        return compiler.compile(self.clause)


class ScopedQuerySet(QuerySet[M], Generic[M]):
    """The one shape of scope, for every model people list.

    Nobody signed out or deactivated sees anything; district staff see everything; anyone else sees
    what ``scope(user)`` admits: start from an empty ``Q``, add one clause per role the user holds,
    and the queryset is filtered once, in SQL. Set ``distinct_scope`` where a clause joins a to-many
    relation (rows would repeat)."""

    distinct_scope = False

    def visible_to(self, user: "AnyUser") -> Self:
        if not in_business_scope(user):
            return self.none()
        if sees_everything(user):
            return self
        scope, ids = self.scope_with_ids(user)
        visible = self.filter(scope if ids is None else CountedScope(scope, ids))
        return visible.distinct() if self.distinct_scope else visible

    def scope(self, user: "User") -> Q:
        raise NotImplementedError

    def scope_with_ids(self, user: "User") -> tuple[Q, QuerySet | None]:
        """scope(user) and scope_ids(user); a queryset whose two share their parts builds them once."""
        return self.scope(user), self.scope_ids(user)

    def scope_ids(self, user: "User") -> QuerySet | None:
        """Optionally, the ids of the rows `scope(user)` admits as one query (a UNION of each role's
        set), for count() to count when the scope is the only filter. None: count the filter."""
        return None

    def counted(self) -> QuerySet:
        """The query whose rows count() counts: the scope's `ids` when the scope is the only filter,
        else this queryset itself."""
        where, query = self.query.where, self.query
        only_scope = len(where.children) == 1 and not where.negated
        if self._result_cache is None and not query.is_sliced and not query.distinct and only_scope:
            scope = getattr(where.children[0], "lhs", None)
            if isinstance(scope, CountedScope):
                return scope.ids
        return self

    def count(self) -> int:
        counted = self.counted()
        return super().count() if counted is self else counted.count()


def get_visible_or_404(queryset: QuerySet[M], **lookup: object) -> M:
    """Fetch one object from a user-scoped queryset; outside the user's scope it does not exist (404)."""
    try:
        return queryset.get(**lookup)
    # get() raises only the model's own DoesNotExist; it is caught through its base class because
    # the type checker does not see that per-model subclass on a generic model.
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def parse_id(value: object) -> int | None:
    """An object id as a caller sent it (a form field, JSON, a query parameter).

    Blank (``None`` or ``""``) is ``None``: not given. Anything that is not a whole number (text, a
    boolean, a float) is ``0``, which no row has, so the lookup that follows answers "not found" for
    that field instead of treating the value as absent.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return 0
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


def find_by_id(queryset: QuerySet[M], value: object) -> M | None:
    """The object of ``queryset`` with the id a caller sent (read as ``parse_id`` does), or None when
    the value is blank or no row of the queryset has it: the caller then names the field in error."""
    pk = parse_id(value)
    return None if pk is None else queryset.filter(pk=pk).first()
