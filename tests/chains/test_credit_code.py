import pytest
from django.core.exceptions import ValidationError

from chains.credit_code import check_character, make_credit_code, validate_credit_code


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "91110108551385082Q", "914403001922038216", "91440300708461136T"]
)
# The standard's own example and codes printed on company registers; each must pass as printed.
def test_published_codes_are_accepted(code):
    validate_credit_code(code)


def test_lower_case_and_spaces_are_normalised():
    validate_credit_code(" 91350100m000100y43 ")


@pytest.mark.parametrize(
    ("code", "reason", "fragment"),
    [
        ("9135010", "length", "18"),
        ("91350100M000100Y431", "length", "19"),
        ("91350100M000100I43", "characters", "I"),
        ("91350100M000100Y44", "check_digit", "3"),
        ("91110108551385082R", "check_digit", "Q"),
    ],
)
def test_invalid_codes_are_refused_with_the_reason(code, reason, fragment):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == reason
    assert fragment in caught.value.messages[0]


def test_make_credit_code_round_trips():
    code = make_credit_code("91440101MA59UEA28")
    assert len(code) == 18
    validate_credit_code(code)
    assert check_character(code[:17]) == code[17]
