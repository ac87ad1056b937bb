import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chains.credit_code import check_character, make_credit_code, normalise_credit_code, validate_credit_code


# The standard's own example and codes printed on company registers; each must pass as printed.
@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        "91110108551385082Q",
        "914403001922038216",
        "91440300708461136T",
    ],
)
def test_published_codes_are_accepted(code):
    validate_credit_code(code)
    assert standard_check(code[:17]) == code[17]


def test_lower_case_and_spaces_are_normalised():
    validate_credit_code(" 91350100m000100y43 ")


def test_full_width_characters_and_inner_spaces_are_normalised():
    # As a Chinese input method types it: full-width digits and letters, an ideographic space.
    typed = "９１３５０１００Ｍ０００１００\u3000Ｙ４３"
    validate_credit_code(typed)
    assert normalise_credit_code(typed) == "91350100M000100Y43"
    assert normalise_credit_code("9135 0100 m000 100y43") == "91350100M000100Y43"


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


def test_a_mistyped_check_character_is_named_with_the_right_one():
    # The message names the character given (A, not its neighbour 4) and the one expected (3).
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_credit_code("91350100M000100Y4A")
    assert caught.value.messages == ["校验码为 A，应为 3：代码输入有误。"]


@pytest.mark.parametrize("body", ["9135010", "91350100M000100Y", "91350100M000100Y43"])
def test_the_check_character_needs_exactly_seventeen_characters(body):
    with pytest.raises(ValueError, match="zip"):
        check_character(body)


def test_make_credit_code_round_trips():
    code = make_credit_code("91440101MA59UEA28")
    assert len(code) == 18
    validate_credit_code(code)
    assert check_character(code[:17]) == code[17]


# --- the standard, written out independently of chains.credit_code ----------------------------------
# GB 32100-2015: the code's 31 characters (digits and capitals without I, O, S, V, Z), their values 0–30
# in this order, the weights of positions 1–17, and the check character 31 − (Σ value·weight mod 31),
# where 31 is written 0.
STANDARD_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
STANDARD_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def standard_check(body: str) -> str:
    remainder = 31 - sum(STANDARD_ALPHABET.index(c) * w for c, w in zip(body, STANDARD_WEIGHTS, strict=True)) % 31
    return "0" if remainder == 31 else STANDARD_ALPHABET[remainder]


def test_the_oracle_is_the_standard():
    # Transcribed, so checked: the weights are the powers of 3 modulo 31, and the standard's own
    # example (the codes above were checked with this oracle before they were written there).
    assert tuple(3**i % 31 for i in range(17)) == STANDARD_WEIGHTS
    assert len(set(STANDARD_ALPHABET)) == 31
    assert not set("IOSVZ") & set(STANDARD_ALPHABET)
    assert standard_check("91350100M000100Y4") == "3"


def completed(first16: str, check: str) -> str:
    """The one code that starts with `first16` and ends in `check`: its 17th character is searched
    for (a single one exists, the 17th weight being invertible modulo 31)."""
    for char in STANDARD_ALPHABET:
        if standard_check(first16 + char) == check:
            return first16 + char + check
    raise AssertionError(f"no 17th character gives {check}")


# Registration authority and kind (9 1 = a company registered by market regulation, Y = other), a
# district's administrative division (北京海淀 110108, 广州海珠 440106, 上海浦东 310115, 东莞 441900,
# 常熟 320581, 眉山东坡 511402), eight characters of the organisation's code full of letters, and
# check characters 0 and Y — where the wrap "31 is written 0" and the last letter are exercised.
SAMPLE = [
    completed("91110108MA01HJKL", "0"),
    completed("92440106PQRTUWXY", "Y"),
    completed("93310115ABCDEFGH", "0"),
    completed("Y1441900N3T5W7X9", "Y"),
    completed("51320581GAKEMBPC", "0"),
    completed("12511402DFHJLNQU", "Y"),
    completed("91440106RXWYT2U8", "A"),
    completed("91310115MA7QN4Q1", "K"),
]


def test_the_sample_has_every_character_and_a_non_zero_value_at_every_position():
    # Otherwise a changed weight, or two characters swapped in the alphabet, could go unseen.
    assert set("".join(code[:17] for code in SAMPLE)) == set(STANDARD_ALPHABET)
    assert all(any(code[i] != "0" for code in SAMPLE) for i in range(17))
    assert {code[17] for code in SAMPLE} >= {"0", "Y"}


@pytest.mark.parametrize("code", SAMPLE)
def test_a_code_with_letters_and_a_district_is_accepted(code):
    validate_credit_code(code)
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", SAMPLE)
def test_every_single_character_changed_is_refused(code):
    # The check catches any one mistyped character: a change of value d at a position of weight w
    # moves the sum by d·w, never a multiple of 31.
    for position in range(18):
        for char in STANDARD_ALPHABET.replace(code[position], ""):
            mistyped = code[:position] + char + code[position + 1 :]
            with pytest.raises(ValidationError) as caught:
                validate_credit_code(mistyped)
            assert caught.value.code == "check_digit", mistyped


def test_the_check_character_agrees_with_the_standard_on_many_bodies():
    draw = random.Random(32100)
    for _ in range(2000):
        body = "".join(draw.choice(STANDARD_ALPHABET) for _ in range(17))
        assert check_character(body) == standard_check(body), body
