"""An enterprise as a person types it where a list to choose from would be too long (the 吐槽大会 grid):
its unified social credit code or its exact name, among the enterprises the person may submit for;
and the type-ahead's suggestions from the same scope."""

import re
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from chains.credit_code import normalise_credit_code, validate_credit_code
from issues.services.intake import submitter_enterprises

SUGGESTIONS = 10
# Typed as a code, not a name: Latin letters and digits only, at least one digit ("91440101…",
# "9144 0101…"); a name has Chinese characters, or no digit ("ACME").
_CODE_LIKE = re.compile(r"^(?=.*\d)[0-9A-Z]+$")


@dataclass(frozen=True)
class Resolved:
    enterprise_id: int | None
    error: str | None = None


def _as_code(text: str) -> str | None:
    code = normalise_credit_code(text)
    return code if _CODE_LIKE.match(code) else None


def resolve_enterprise_refs(*, actor: User, refs: Collection[str]) -> dict[str, Resolved]:
    """Each typed reference → the enterprise it names, or why none: a mistyped code says what is wrong
    with it; a code or name that names no enterprise the actor may submit for says so (one outside
    the scope reads as one that does not exist); a name several enterprises bear asks for the code.
    Two queries for any number of references."""
    result: dict[str, Resolved] = {}
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for ref in {ref for ref in refs if ref and ref.strip()}:
        code = _as_code(ref)
        if code is None:
            names[ref] = ref.strip()
            continue
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            result[ref] = Resolved(None, " ".join(exc.messages))
        else:
            codes[ref] = code
    scope = submitter_enterprises(actor)
    by_code = dict(scope.filter(credit_code__in=set(codes.values())).values_list("credit_code", "pk")) if codes else {}
    for ref, code in codes.items():
        found = by_code.get(code)
        result[ref] = Resolved(found) if found else Resolved(None, _unknown_code(code))
    by_name: dict[str, list[int]] = {}
    if names:
        for name, pk in scope.filter(name__in=set(names.values())).values_list("name", "pk"):
            by_name.setdefault(name, []).append(pk)
    for ref, name in names.items():
        found_ids = by_name.get(name, [])
        if len(found_ids) == 1:
            result[ref] = Resolved(found_ids[0])
        elif found_ids:
            result[ref] = Resolved(
                None,
                _("%(count)d enterprises are named “%(name)s”: give its unified social credit code.")
                % {"count": len(found_ids), "name": name},
            )
        else:
            result[ref] = Resolved(
                None,
                _("No enterprise is named “%(name)s”: type its full name or its unified social credit code.")
                % {"name": name},
            )
    return result


def _unknown_code(code: str) -> str:
    return _("No enterprise has the unified social credit code %(code)s.") % {"code": code}


def suggest_enterprises(*, actor: User, text: str, limit: int = SUGGESTIONS) -> list[dict[str, str]]:
    """The type-ahead: up to `limit` enterprises the actor may submit for whose credit code begins
    with what was typed (when it looks like one) or whose name contains it, by name. One query."""
    text = (text or "").strip()
    if not text:
        return []
    code = _as_code(text)
    scope = submitter_enterprises(actor)
    matches = scope.filter(credit_code__startswith=code) if code else scope.filter(name__icontains=text)
    rows = matches.order_by("name", "pk").values("name", "credit_code")[:limit]
    return [{"name": row["name"], "credit_code": row["credit_code"]} for row in rows]
