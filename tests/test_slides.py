"""The "slide vs computed" checker: each rule passes what it should and fails what it should."""

import pytest

from softmax_lab.slides import SlideMismatch, compare_with_slides


def test_rounded_rule_accepts_the_rounded_value_and_prints_a_table():
    table = compare_with_slides([("y_hat_1", "0.615", 0.6153837, "rounded")])
    assert table.all_match
    text = str(table)
    assert "y_hat_1" in text and "0.615" in text and "rounded to 3 d.p." in text
    assert text.endswith("all 1 rows match")


def test_rounded_rule_rejects_a_value_one_unit_off():
    with pytest.raises(SlideMismatch, match="y_hat_1: slide prints 0.615"):
        compare_with_slides([("y_hat_1", "0.615", 0.6165, "rounded")])


def test_truncated_rule_needs_the_slide_to_really_truncate():
    # 0.30966 truncates to 0.3096 but rounds to 0.3097: a genuine truncation
    assert compare_with_slides([("y3", "0.3096", 0.30966, "truncated")]).all_match
    # 0.30962 rounds AND truncates to 0.3096: calling that "truncated" is wrong
    with pytest.raises(SlideMismatch):
        compare_with_slides([("y3", "0.3096", 0.30962, "truncated")])


def test_truncation_goes_toward_zero_for_negative_values():
    # the deck's updated theta: -0.153846 printed as -0.153
    assert compare_with_slides([("w2", "-0.153", -0.153846, "truncated")]).all_match


def test_slide_arithmetic_rule():
    # the deck: dL/dw1 = -0.385 * 1.4 = -0.539, while the exact value rounds to -0.538
    row = ("dL/dw1", "-0.539", -0.5384627, "slide arithmetic", -0.385 * 1.4)
    assert compare_with_slides([row]).all_match
    with pytest.raises(SlideMismatch):  # exact value two units away: not explained by rounding
        compare_with_slides([("dL/dw1", "-0.539", -0.5370, "slide arithmetic", -0.385 * 1.4)])


def test_every_mismatch_is_listed_not_just_the_first():
    with pytest.raises(SlideMismatch) as info:
        compare_with_slides([("a", "0.1", 0.3, "rounded"), ("b", "0.2", 0.2, "rounded"), ("c", "0.5", 0.9, "rounded")])
    message = str(info.value)
    assert "a: slide prints 0.1" in message and "c: slide prints 0.5" in message
    assert "b: slide prints" not in message


@pytest.mark.parametrize(
    "row, error",
    [
        (("q", 0.615, 0.615, "rounded"), TypeError),  # slide value not typed as printed
        (("q", "0.615", 0.615, "nearly"), ValueError),  # unknown rule
        (("q", "0.615", 0.615), ValueError),  # too few items
        (("q", "0.615", 0.615, "slide arithmetic"), ValueError),  # missing the slide's own arithmetic
    ],
)
def test_malformed_rows_get_a_clear_error(row, error):
    with pytest.raises(error):
        compare_with_slides([row])
