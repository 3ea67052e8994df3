"""Which characters a text of an order or a seller file may contain.

Text typed by people or sent by shops ends up on invoices, in XML, in the database, in PDFs
and on terminals. Characters that are invisible or that change how the surrounding text is
shown have no place there: they break storage (PostgreSQL refuses NUL), XML (XML 1.0 has no
C0 controls but tab, newline and carriage return, no surrogates, no U+FFFE/U+FFFF), and they
can disguise what a document says ("Trojan Source", CVE-2021-42574: a right-to-left override
makes ``INV-1<RLO>0001`` display as another number). So a text containing one is refused,
naming the field and the code point; it is never silently cleaned, since the issued document
must say exactly what was sent.

Refused everywhere:

- controls (Unicode category Cc): C0 U+0000-U+001F, DEL U+007F, C1 U+0080-U+009F; only
  multi-line texts (notes, descriptions, printed texts of the seller file) may hold a tab
  U+0009 or a newline U+000A; a carriage return is refused there too (write ``\\n``);
- format characters (category Cf), among them the bidirectional embeddings and overrides
  U+202A-U+202E, the isolates U+2066-U+2069, the zero-width space U+200B, the word joiner and
  invisible operators U+2060-U+2064, the byte order mark U+FEFF, the tag characters
  U+E0000-U+E007F (hidden ASCII), with the exceptions below;
- line and paragraph separators U+2028, U+2029 (a newline is ``\\n``);
- surrogates U+D800-U+DFFF (a lone one from a JSON ``\\ud800`` escape cannot be stored as
  UTF-8) and the noncharacters U+FDD0-U+FDEF and U+xFFFE, U+xFFFF.

Allowed, although category Cf, because real names need them and they cannot reorder text:

- U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK, U+061C ARABIC LETTER MARK: invisible
  marks with a direction but no scope, used in Arabic and Hebrew names that hold Latin words
  or digits; unlike the overrides they cannot reverse a run of letters or digits;
- U+200C ZERO WIDTH NON-JOINER, U+200D ZERO WIDTH JOINER: required in Persian and Indic
  spelling and in emoji sequences;
- U+00AD SOFT HYPHEN: a hyphenation point in long (e.g. German) words.

Arabic and Hebrew letters themselves are ordinary characters: the renderer lays them out
with the Unicode bidirectional algorithm.
"""

from __future__ import annotations

import unicodedata

ALLOWED_FORMAT = frozenset("\u200e\u200f\u061c\u200c\u200d\u00ad")
MULTILINE_CONTROLS = frozenset("\t\n")

_NAMES = {
    "\x00": "NULL",
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
}


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _why(char: str, multiline: bool) -> str | None:
    """Why `char` is refused, or None when it is allowed."""
    category = unicodedata.category(char)
    if category == "Cc":
        if multiline and char in MULTILINE_CONTROLS:
            return None
        if char == "\r" and multiline:
            return "a carriage return (line breaks are written \\n)"
        return "a control character" + ("" if multiline or char not in "\t\n" else " (this field is one line)")
    if category == "Cf" and char not in ALLOWED_FORMAT:
        if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            return "a bidirectional embedding, override or isolate (it can disguise the text)"
        return "an invisible format character (it can disguise the text)"
    if category in ("Zl", "Zp"):
        return "a line or paragraph separator (line breaks are written \\n)"
    if category == "Cs":
        return "a lone surrogate (not a character)"
    if _is_noncharacter(ord(char)):
        return "a noncharacter"
    return None


def code_point(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and, when it has one, its name."""
    name = _NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def forbidden_character(text: str, multiline: bool = False) -> str | None:
    r"""A message naming the first refused character of `text` and where it is, or None.

    >>> forbidden_character("Hôtel du Parc")
    >>> forbidden_character("\u0645\u062d\u0645\u062f \u200fACME")  # Arabic with an RLM: allowed
    >>> forbidden_character("ACME\u202eSARL")
    'U+202E RIGHT-TO-LEFT OVERRIDE at character 5: a bidirectional embedding, override or isolate (...)'
    >>> forbidden_character("line 1\nline 2", multiline=True)
    """
    for index, char in enumerate(text):
        if char.isprintable():
            continue  # the common case: letters, digits, punctuation, spaces, marks
        why = _why(char, multiline)
        if why is not None:
            return f"{code_point(char)} at character {index + 1}: {why}"
    return None


def escape_hidden(text: str, multiline: bool = False) -> str:
    r"""`text` with every refused character written as an escape (tab and newline kept if `multiline`).

    For messages that quote input back (a field path built from a dict key, say): what a
    terminal or a log shows is then what was sent, never text it reorders or hides.

    >>> escape_hidden("FR\x00\u202eX\n")
    'FR\\x00\\u202eX\\x0a'
    >>> escape_hidden("a\tb\nc", multiline=True)
    'a\tb\nc'
    """
    if text.isprintable():
        return text
    return "".join(_escape(char) if is_refused(char, multiline) else char for char in text)


def is_refused(char: str, multiline: bool = False) -> bool:
    r"""Whether the character `char` is refused in a text (see the module docstring).

    >>> is_refused("\u202e"), is_refused("\u200f"), is_refused("\n"), is_refused("\n", multiline=True)
    (True, False, True, False)
    """
    return not char.isprintable() and _why(char, multiline) is not None


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
