"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and upper-case letters without I, O, Z, S, V).
The last character is a check digit: 31 - (Σ value(cᵢ)·wᵢ mod 31), with 31 written as 0.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: index for index, char in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    """The code as it is stored: NFKC (full-width ９１４４… typed with a Chinese input method becomes
    9144…), without any whitespace, in upper case."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def validate_credit_code(value: str) -> None:
    code = normalise_credit_code(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d.") % {"count": len(code)},
            code="length",
        )
    bad = sorted({char for char in code if char not in VALUES})
    if bad:
        raise ValidationError(
            _("Characters not allowed in a unified social credit code: %(chars)s (I, O, Z, S and V are never used).")
            % {"chars": " ".join(bad)},
            code="characters",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check digit is %(given)s but should be %(expected)s: the code is mistyped.")
            % {"given": code[17], "expected": expected},
            code="check_digit",
        )


def make_credit_code(body17: str) -> str:
    """Complete a 17-character body with its check character (demo data and tests)."""
    return body17 + check_character(body17)
