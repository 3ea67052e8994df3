"""Type names for lxml values. lxml ships no type information, so elements are `Any` here,
named once so signatures still say what they carry."""

from __future__ import annotations

from typing import Any, TypeAlias

Element: TypeAlias = Any  # an lxml.etree._Element
