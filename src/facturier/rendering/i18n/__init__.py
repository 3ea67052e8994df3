"""Message catalogues for printed documents, one JSON file per language (`fr.json`, `en.json`).

Every catalogue has the same keys (a test checks it); `_locale` names the Babel locale used to
format dates, numbers and amounts in that language. Messages use `str.format` placeholders.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType

from facturier.domain.parties import Party

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

# Buyers in these countries and territories read French invoices by default (ISO 3166-1).
_FRENCH_SPEAKING = frozenset({"FR", "MC", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF"})


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The messages of one language and the Babel locale that formats its values."""

    language: str
    locale: str
    messages: Mapping[str, str]

    def text(self, key: str, **values: str) -> str:
        """The message `key` with its placeholders filled; a missing key is a bug, so it raises."""
        return self.messages[key].format(**values) if values else self.messages[key]

    def get(self, key: str, default: str) -> str:
        return self.messages.get(key, default)


@cache
def catalogue(language: str) -> Catalogue:
    """The catalogue of `language` ("fr", "en"); an unknown language raises ValueError."""
    if language not in LANGUAGES:
        raise ValueError(f"no catalogue for language {language!r}; available: {', '.join(LANGUAGES)}")
    raw = json.loads(files(__package__).joinpath(f"{language}.json").read_text(encoding="utf-8"))
    locale = raw.pop("_locale")
    return Catalogue(language, locale, MappingProxyType(raw))


def language_for(buyer: Party, preferred: str = "") -> str:
    """The buyer's language: `preferred` if we have it, else French for French-speaking
    territories and English elsewhere."""
    if preferred in LANGUAGES:
        return preferred
    return "fr" if buyer.country in _FRENCH_SPEAKING else "en"
