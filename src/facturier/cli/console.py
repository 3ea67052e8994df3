"""The CLI's consoles and tables: Rich on a terminal, whole tab-separated lines elsewhere.

- On a terminal, tables are Rich tables; numbers, dates and amounts are not wrapped, text
  columns fold. (A terminal too narrow even for the numbers gets them cropped by Rich: pipe
  the output, or widen the terminal, for whole values.)
- When stdout is not a terminal (a pipe, a file), every table is written as tab-separated
  lines: an optional ``# title`` line, a header line, one line per row, whole values, no
  box drawing, no colour, no width limit; tabs and newlines inside a value become spaces.
  Other lines are never wrapped or cut either (the console is as wide as the longest line).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleDimensions, ConsoleOptions, RenderResult
from rich.errors import MarkupError
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from facturier.domain.text import escape_hidden

PIPE_WIDTH = 1_000_000  # "unlimited": Rich wraps and crops to the console width


class _Console(Console):
    """Rich's console, unlimited in width when its output is not a terminal.

    Rich otherwise takes 80 columns (or the width of whatever terminal it finds on stdin or
    stderr) and wraps, crops or ellipsizes to it, even when writing into a pipe.
    """

    @property
    def size(self) -> ConsoleDimensions:
        size = Console.size.fget(self)  # type: ignore[attr-defined]
        return size if self.is_terminal else ConsoleDimensions(PIPE_WIDTH, size.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]

    def render_str(self, text: str, **options: Any) -> Text:
        """A message whose data is not valid markup (a seller named "A [/b] SAS") is shown as is.

        Commands should escape data they put in markup (`rich.markup.escape`); this keeps a
        forgotten one from ending in a traceback.
        """
        try:
            return super().render_str(text, **options)
        except MarkupError:
            return super().render_str(text, **{**options, "markup": False})


console = _Console()
errors = _Console(stderr=True)


class Listing(Table):
    """A table: a Rich table on a terminal, tab-separated lines elsewhere (module docstring).

    Cells given as `str` are data, shown as they are: never read as Rich markup (a buyer
    named "[bold]" stays "[bold]"), hidden characters escaped (domain.text).
    """

    def add_row(self, *cells: Any, **options: Any) -> None:
        super().add_row(
            *(Text(escape_hidden(c, multiline=True)) if isinstance(c, str) else c for c in cells), **options
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.is_terminal:
            yield from super().__rich_console__(console, options)
            return
        # Segments, not Text: Rich would expand the tabs into spaces.
        if self.title:
            yield from (Segment(f"# {_plain(self.title)}"), Segment.line())
        yield from (Segment("\t".join(_plain(column.header) for column in self.columns)), Segment.line())
        for row in zip(*(column.cells for column in self.columns), strict=True):
            yield from (Segment("\t".join(_plain(cell) for cell in row)), Segment.line())


def _plain(cell: Any) -> str:
    text = cell.plain if isinstance(cell, Text) else str(cell)
    return " ".join(text.replace("\t", " ").splitlines())


def listing(title: str, columns: Iterable[str], whole: Iterable[str] = (), right: Iterable[str] = ()) -> Listing:
    """A `Listing` whose `whole` columns (numbers, dates, amounts) are never wrapped; others fold."""
    whole, right = set(whole), set(right)
    table = Listing(title=Text(escape_hidden(title)) if title else None)
    for name in columns:
        table.add_column(
            name,
            justify="right" if name in right else "left",
            no_wrap=name in whole,
            overflow="ignore" if name in whole else "fold",
        )
    return table
