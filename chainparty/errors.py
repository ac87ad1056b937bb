"""Domain errors shared by every app. Services raise Django's ValidationError (400, field by field)
and PermissionDenied (403); a step that the object's state does not allow raises InvalidTransition,
which the API's exception handler alone turns into a 409 and a page shows as a message."""

from collections.abc import Sequence

from django.utils.functional import Promise


class InvalidTransition(Exception):
    """The object's state does not allow the action (a workflow step out of turn).

    ``allowed_actions``, when the workflow can say it, lists what the user may do now; the 409
    body carries it so a client can offer those instead.
    """

    code = "invalid_transition"

    def __init__(self, message: str | Promise, *, allowed_actions: Sequence[str] | None = None):
        super().__init__(message)
        self.allowed_actions = list(allowed_actions) if allowed_actions is not None else None


class IdempotencyKeyReused(Exception):
    """An Idempotency-Key sent again with a different request: the API answers 422, and nothing is
    written (the first request's result stands)."""

    code = "idempotency_key_reused"


class RateLimited(Exception):
    """Too many of one kind of request from one person in a while; `retry_after` seconds until the
    next is accepted. The API answers 429 with Retry-After; a page shows the message."""

    code = "rate_limited"

    def __init__(self, message, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
