"""Text as people and clients send it, checked at the edges: what a database, a mail header or a
spreadsheet must never receive. DRF's CharField already refuses NUL and lone surrogates on the API;
services call these so that pages, bulk rows and commands get the same answer."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029\x85]+")


def text_problem(value: str) -> str | None:
    """Why the text cannot be stored, or None. A NUL byte (PostgreSQL refuses it), a lone surrogate
    (not encodable) or another control character is named as such."""
    if "\x00" in value:
        return str(_("contains a NUL character, which is not allowed"))
    if _SURROGATE.search(value):
        return str(_("contains an invalid character (a lone surrogate)"))
    if _CONTROL.search(value):
        return str(_("contains control characters, which are not allowed"))
    return None


def check_text(field: str, value: str) -> str:
    """`value`, or a ValidationError naming `field` and the reason."""
    problem = text_problem(value)
    if problem:
        raise ValidationError({field: problem})
    return value


def one_line(value: str) -> str:
    """The text on one line: line breaks and tabs become one space (a title, a mail subject: a CR/LF
    in a header would end it, or inject another)."""
    return _LINE_BREAKS.sub(" ", value).strip()
