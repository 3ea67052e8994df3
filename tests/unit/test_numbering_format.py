"""Number patterns: parsing errors, formatting, yearly reset, draft placeholders."""

from __future__ import annotations

from datetime import date

import pytest

from facturier.domain.errors import InvalidInput
from facturier.numbering.format import Pattern

JAN = date(2026, 1, 5)
DEC = date(2026, 12, 31)


class TestParse:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("F{yyyy}-{seq:06d}-{seq}", "exactly one {seq}"),
            ("F{yyyy}-{mm}", "exactly one {seq}"),
            ("F{year}-{seq}", "unknown token"),
            ("F{yyyy}-{seq:6d}", "unknown token"),
            ("F{yyyy}-{seq:0123d}", "unknown token"),
            ("F{yyyy}-{seq", "unknown token"),
            ("F}{seq}", "unknown token"),
            ("F{seq:013d}", "at most 12 digits"),
            ("FACTURE-BOUTIQUE-PARIS-{seq}", "limited to 20 characters"),
        ],
    )
    def test_errors_name_the_rule_and_the_field(self, text: str, message: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            Pattern.parse(text, path="series.pattern")
        (violation,) = caught.value.violations
        assert (violation.rule_id, violation.path) == ("NUM-PATTERN", "series.pattern")
        assert message in violation.message

    def test_yearly_reset_requires_the_year(self) -> None:
        with pytest.raises(InvalidInput, match="yearly reset"):
            Pattern.parse("F{mm}-{seq:04d}", yearly_reset=True)

    @pytest.mark.parametrize("text", ["F{yyyy}-{seq:06d}", "F{yy}{mm}-{seq}", "{seq:012d}", "A" * 20 + "{seq}"])
    def test_valid(self, text: str) -> None:
        assert Pattern.parse(text, yearly_reset="y" in text).text == text


class TestFormat:
    def test_tokens(self) -> None:
        pattern = Pattern.parse("F{yyyy}{yy}{mm}-{seq:06d}")
        assert pattern.format(42, date(2026, 3, 9)) == "F20262603-000042"

    def test_unpadded_and_overflowing_sequences(self) -> None:
        assert Pattern.parse("N{seq}").format(1234567, JAN) == "N1234567"
        assert Pattern.parse("N{seq:03d}").format(1234, JAN) == "N1234"

    def test_negative_sequence_refused(self) -> None:
        with pytest.raises(ValueError):
            Pattern.parse("N{seq}").format(-1, JAN)

    def test_yearly_reset_period_is_the_year(self) -> None:
        pattern = Pattern.parse("F{yyyy}-{seq:05d}", yearly_reset=True)
        assert pattern.period(JAN) == pattern.period(DEC) == "2026"
        assert pattern.period(date(2027, 1, 1)) == "2027"
        # the same counter value in two years still gives two different numbers
        assert pattern.format(1, DEC) != pattern.format(1, date(2027, 1, 1))

    def test_without_reset_one_period_forever(self) -> None:
        pattern = Pattern.parse("F{yyyy}-{seq:05d}")
        assert pattern.period(JAN) == pattern.period(date(2030, 6, 1)) == "all"


class TestPlaceholder:
    @pytest.mark.parametrize("text", ["F{yyyy}-{seq:06d}", "{yy}{mm}/{seq:04d}", "AV-{seq:08d}"])
    def test_same_shape_as_a_real_number(self, text: str) -> None:
        pattern = Pattern.parse(text)
        placeholder, real = pattern.placeholder(DEC), pattern.format(123, DEC)
        assert len(placeholder) == len(real)
        assert [c.isdigit() for c in placeholder] == [c.isdigit() for c in real]
        assert placeholder != real
