"""The canonical JSON form of documents and ledger events, versioned, and its reader.

Canonical form v1 (`CANONICAL_VERSION = 1`), the bytes that are hashed and archived:
- UTF-8 JSON, keys sorted, no insignificant whitespace (`separators=(",", ":")`),
  non-ASCII kept as is (`ensure_ascii=False`);
- Decimals as strings without trailing zeros ("2.5", "100", never exponents);
- dates as ISO 8601 "YYYY-MM-DD"; enums as their value; tuples as arrays; None as null;
- every dataclass field is present, defaults included. A field added later with a default
  (e.g. `Document.tax_accounting`) is absent from bytes written before it and reads back as
  its default (`from_plain` skips missing names); stored bytes are hashed as stored, never
  re-serialised, so older records keep verifying. Renaming or removing a field, or changing
  these rules, is a new version.

Equal documents give identical bytes, so their SHA-256 is stable (property-tested).
`from_canonical(to_canonical(x)) == x` for every document (property-tested).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

from facturier.domain.rounding import normalize_decimal

CANONICAL_VERSION = 1
T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """A JSON-ready structure for a dataclass value (see the module docstring).

    Dispatch is by exact type through `_CONVERTERS`, filled on first sight of each enum or
    dataclass type: this runs for every field of every issued document.
    """
    convert = _CONVERTERS.get(type(value))
    if convert is None:
        convert = _converter_for(type(value))
    return convert(value)


def _identity(value: Any) -> Any:
    return value


def _decimal(value: Decimal) -> str:
    return format(normalize_decimal(value), "f")  # str() would write 1E-7


def _sequence(value: Any) -> list[Any]:
    return [to_plain(v) for v in value]


def _mapping(value: dict[Any, Any]) -> dict[str, Any]:
    return {str(k): to_plain(v) for k, v in value.items()}


def _enum(value: Enum) -> Any:
    return value.value


def _date(value: date) -> str:
    return value.isoformat()


_CONVERTERS: dict[type, Callable[[Any], Any]] = {
    str: _identity,
    int: _identity,
    bool: _identity,
    type(None): _identity,
    Decimal: _decimal,
    date: _date,
    tuple: _sequence,
    list: _sequence,
    dict: _mapping,
}


def _converter_for(kind: type) -> Callable[[Any], Any]:
    names = _field_names(kind)
    convert: Callable[[Any], Any]
    if names is not None:
        convert = functools.partial(_fields, names=names)
    elif issubclass(kind, Enum):
        convert = _enum
    else:
        base = next((b for b in (Decimal, date, str, int, tuple, list, dict) if issubclass(kind, b)), None)
        if base is None:
            raise TypeError(f"no canonical form for {kind.__name__}")
        convert = _CONVERTERS[base]
    _CONVERTERS[kind] = convert
    return convert


def _fields(value: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: to_plain(getattr(value, name)) for name in names}


def canonical_bytes(value: Any) -> bytes:
    """The canonical bytes of a value: `{"v": 1, "type": <class name>, "data": ...}`."""
    envelope = {"v": CANONICAL_VERSION, "type": type(value).__name__, "data": to_plain(value)}
    return dumps(envelope)


def dumps(plain: Any) -> bytes:
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def from_canonical(cls: type[T], raw: bytes) -> T:
    """Read canonical bytes back into `cls` (checks the version and the type name)."""
    envelope = json.loads(raw)
    if envelope.get("v") != CANONICAL_VERSION:
        raise ValueError(f"unsupported canonical version {envelope.get('v')!r}")
    if envelope.get("type") != cls.__name__:
        raise ValueError(f"expected a {cls.__name__}, got {envelope.get('type')!r}")
    result: T = from_plain(cls, envelope["data"])
    return result


def from_plain(cls: Any, data: Any) -> Any:
    """Inverse of `to_plain`, driven by the dataclass type hints."""
    if data is None:
        return None
    origin = get_origin(cls)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(cls) if a is not type(None)]
        return from_plain(inner[0], data)
    if origin is tuple:
        item = get_args(cls)[0]
        return tuple(from_plain(item, v) for v in data)
    if isinstance(cls, type) and dataclasses.is_dataclass(cls):
        hints = _hints(cls)
        return cls(**{name: from_plain(hints[name], data[name]) for name in hints if name in data})
    return _scalar(cls, data)


def _scalar(cls: Any, data: Any) -> Any:
    if isinstance(cls, type) and issubclass(cls, Enum):
        return cls(data)
    if cls is Decimal:
        return Decimal(data)
    if cls is date:
        return date.fromisoformat(data)
    return data


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The dataclass field names of `cls` (None if not a dataclass), computed once per class."""
    if cls not in _FIELD_NAMES:
        is_dataclass = dataclasses.is_dataclass(cls)
        _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)) if is_dataclass else None
    return _FIELD_NAMES[cls]


@cache
def _hints(cls: type) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in typing.get_type_hints(cls).items() if k in names}
