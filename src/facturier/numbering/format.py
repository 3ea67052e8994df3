"""Number patterns such as ``F{yyyy}-{seq:06d}``: parsing, formatting, reset periods.

Tokens: ``{yyyy}`` year, ``{yy}`` two-digit year, ``{mm}`` month, ``{seq}`` or
``{seq:0Nd}`` the sequence zero-padded to N digits (N <= 12). Any other text is literal.
French law asks for a unique, continuous, chronological number per series (CGI ann. II
art. 242 nonies A, I-2°; BOI-TVA-DECLA-30-20-20-10 §§ 150-180); a yearly reset is allowed
provided the year is part of the number, which `Pattern.parse` enforces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from facturier.domain.errors import invalid

_TOKEN = re.compile(r"\{(yyyy|yy|mm|seq(?::0(\d{1,2})d)?)\}")


@dataclass(frozen=True, slots=True)
class Pattern:
    text: str
    yearly_reset: bool = False

    @classmethod
    def parse(cls, text: str, yearly_reset: bool = False, path: str = "pattern") -> Pattern:
        tokens = [m.group(1) for m in _TOKEN.finditer(text)]
        leftover = _TOKEN.sub("", text)
        if "{" in leftover or "}" in leftover:
            raise invalid("NUM-PATTERN", path, f"unknown token in {text!r} (use {{yyyy}}, {{yy}}, {{mm}}, {{seq:06d}})")
        if sum(t.startswith("seq") for t in tokens) != 1:
            raise invalid("NUM-PATTERN", path, f"{text!r} must contain exactly one {{seq}} token")
        if any(int(m.group(2) or 0) > 12 for m in _TOKEN.finditer(text)):
            raise invalid("NUM-PATTERN", path, "the sequence is padded to at most 12 digits ({seq:012d})")
        if yearly_reset and not any(t in ("yyyy", "yy") for t in tokens):
            raise invalid(
                "NUM-PATTERN", path, "a yearly reset needs {yyyy} or {yy} in the pattern, or numbers would repeat"
            )
        if len(_TOKEN.sub("", text)) > 20:
            raise invalid("NUM-PATTERN", path, "literal text in the pattern is limited to 20 characters")
        return cls(text, yearly_reset)

    def period(self, issue_date: date) -> str:
        """The counter period: the year with a yearly reset, otherwise one period forever."""
        return f"{issue_date.year:04d}" if self.yearly_reset else "all"

    def format(self, seq: int, issue_date: date) -> str:
        if seq < 0:
            raise ValueError("sequence numbers start at 1")

        def token(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "yyyy":
                return f"{issue_date.year:04d}"
            if name == "yy":
                return f"{issue_date.year % 100:02d}"
            if name == "mm":
                return f"{issue_date.month:02d}"
            width = int(match.group(2) or 0)
            return str(seq).zfill(width)

        return _TOKEN.sub(token, self.text)

    def placeholder(self, issue_date: date) -> str:
        """A number of the same shape for validating a draft before a number is allocated."""
        return self.format(0, issue_date)
