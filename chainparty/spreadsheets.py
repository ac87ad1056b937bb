"""Excel in and out, the one way (staff keep their lists in .xlsx today).

A sheet is described by its `Column`s: a key (the field the row dict carries), a header in Chinese
(through gettext; the English one is accepted too), whether it is required and how a cell is parsed.

- `template_workbook(columns)`: the downloadable template, headers in Chinese, with a second sheet
  explaining each column.
- `read_workbook(file, columns)`: every row parsed, and every problem of every row at once
  (`RowError`: row number as Excel shows it, column header, reason). An importer adds its own checks
  (unknown credit code, unknown superior) to the same list; nothing is written while it is not empty.
- `write_workbook(columns, rows)`: an export. Text that begins with ``= + - @`` (or a tab or carriage
  return) is neutralised with a leading apostrophe, so that a spreadsheet never runs a cell as a
  formula (CSV/formula injection). `write_sheets([SheetOut(title, columns, rows), ...])`: the same,
  one sheet each (a report of several tables in one workbook).

openpyxl parses the XML through defusedxml (a declared dependency), so a crafted file cannot expand
entities or reach the network.
"""

import datetime
import io
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What a spreadsheet would read as the start of a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A parser's refusal of one cell; its message says why, for people."""


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise
    parse: Parser = field(default_factory=lambda: text())
    required: bool = False
    help: str | Promise = ""
    width: int = 18


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        if self.column:
            return gettext("Row %(row)d, %(column)s: %(message)s") % self.as_dict()
        return gettext("Row %(row)d: %(message)s") % self.as_dict()


@dataclass
class Sheet:
    """What `read_workbook` found: the parsed rows (each carries its Excel row number under "row")
    and every error."""

    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def error(self, row: dict | int, column: "Column | str | None", message: str | Promise) -> None:
        number = row if isinstance(row, int) else row["row"]
        header = column if isinstance(column, str) else str(column.header) if column else ""
        self.errors.append(RowError(number, header, str(message)))


# --- parsers: each takes a cell's value (never empty: blanks are handled before) ------------------
def text(*, max_length: int | None = None) -> Parser:
    def parse(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed into a number cell
        result = str(value).strip()
        if max_length is not None and len(result) > max_length:
            raise CellError(
                gettext("at most %(limit)d characters, not %(count)d") % {"limit": max_length, "count": len(result)}
            )
        return result

    return parse


def integer(*, min_value: int | None = 0, max_value: int | None = None) -> Parser:
    def parse(value: Any) -> int:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise CellError(gettext("“%(value)s” is not a whole number") % {"value": value}) from None
        if number != number.to_integral_value():
            raise CellError(gettext("“%(value)s” is not a whole number") % {"value": value})
        result = int(number)
        if min_value is not None and result < min_value:
            raise CellError(gettext("must be at least %(limit)d") % {"limit": min_value})
        if max_value is not None and result > max_value:
            raise CellError(gettext("must be at most %(limit)d") % {"limit": max_value})
        return result

    return parse


def date_value() -> Parser:
    def parse(value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        raw = str(value).strip()
        for form in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
            try:
                return datetime.date(*time.strptime(raw, form)[:3])
            except ValueError:
                continue
        raise CellError(gettext("“%(value)s” is not a date (write it as 2026-07-01)") % {"value": raw})

    return parse


def choice(options: Iterable[tuple[str, str | Promise]]) -> Parser:
    """A cell naming one of `options` (value, label): by its Chinese or English label, or its value."""
    options = list(options)
    codes: dict[str, str] = {}  # every accepted spelling -> code; built on first use (labels are lazy)

    def parse(value: Any) -> str:
        if not codes:
            for code, label in options:
                codes.update(dict.fromkeys(_labels(label), code))
            codes.update({code: code for code, _label in options})
        raw = str(value).strip()
        if raw in codes:
            return codes[raw]
        names = "、".join(str(label) for _code, label in options)
        raise CellError(gettext("“%(value)s” is not one of: %(names)s") % {"value": raw, "names": names})

    return parse


def boolean() -> Parser:
    yes, no = {"是", "yes", "y", "true", "1", "√"}, {"否", "no", "n", "false", "0", "×"}

    def parse(value: Any) -> bool:
        raw = str(value).strip().lower()
        if raw in yes:
            return True
        if raw in no:
            return False
        raise CellError(gettext("write 是 or 否, not “%(value)s”") % {"value": value})

    return parse


def _labels(label: str | Promise) -> set[str]:
    names = {str(label)}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.add(str(label))
    return names


# --- reading ------------------------------------------------------------------------------------
def read_workbook(
    file: IO[bytes],
    columns: Sequence[Column],
    *,
    max_rows: int = MAX_ROWS,
    progress: Callable[[int, int], None] | None = None,
) -> Sheet:
    """Parse the first sheet: row 1 holds the headers (any order; unknown ones are ignored), each
    later non-blank row one record. Every cell's problem is collected; nothing stops at the first.
    `progress(rows read, rows in the sheet)` is called as it goes."""
    sheet = Sheet()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        sheet.error(1, None, _("The file is not an Excel workbook (.xlsx)."))
        return sheet
    try:
        worksheet = workbook.worksheets[0]
        lines = worksheet.iter_rows(values_only=True)
        header = next(lines, None) or ()
        positions = _header_positions(header, columns)
        missing = [column for column in columns if column.required and column.key not in positions]
        for column in missing:
            sheet.error(1, column, _("this column is missing from the header row"))
        if missing:
            return sheet
        total = max((worksheet.max_row or 1) - 1, 0)
        for number, line in enumerate(lines, start=2):
            if progress and number % 100 == 0:
                progress(number - 1, total)
            if all(_blank(value) for value in line):
                continue
            if len(sheet.rows) >= max_rows:
                sheet.error(number, None, _("The file has more than %(limit)d rows; split it.") % {"limit": max_rows})
                break
            sheet.rows.append(_parse_row(sheet, number, line, positions, columns))
    finally:
        workbook.close()
    return sheet


def _header_positions(header: Sequence[Any], columns: Sequence[Column]) -> dict[str, int]:
    names = {name: column.key for column in columns for name in (*_labels(column.header), column.key)}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = names.get(str(cell).strip()) if cell is not None else None
        if key and key not in positions:
            positions[key] = index
    return positions


def _parse_row(
    sheet: Sheet, number: int, line: Sequence[Any], positions: dict[str, int], columns: Sequence[Column]
) -> dict:
    row: dict[str, Any] = {"row": number}
    for column in columns:
        index = positions.get(column.key)
        value = line[index] if index is not None and index < len(line) else None
        if _blank(value):
            row[column.key] = None
            if column.required:
                sheet.error(number, column, _("required"))
            continue
        try:
            row[column.key] = column.parse(value)
        except CellError as exc:
            row[column.key] = None
            sheet.error(number, column, str(exc))
    return row


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- writing ------------------------------------------------------------------------------------
def neutralise(value: Any) -> Any:
    """A cell value safe to open: text that a spreadsheet would run as a formula gets a leading
    apostrophe (shown, never evaluated); numbers, dates and the rest are written as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, Promise):
        return neutralise(str(value))
    return value


@dataclass(frozen=True)
class SheetOut:
    """One sheet of an export: its title, its columns and its rows (sequences in the columns' order)."""

    title: str | Promise
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def write_workbook(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | Promise = "",
    progress: Callable[[int], None] | None = None,
    every: int = 500,
) -> bytes:
    """An .xlsx of `rows` (sequences in the columns' order) under the columns' headers, streamed
    (openpyxl's write-only mode: memory stays flat however many rows). `progress(n)` is called every
    `every` rows with the number written so far."""
    return write_sheets([SheetOut(title, columns, rows)], progress=progress, every=every)


def write_sheets(
    sheets: Iterable[SheetOut], *, progress: Callable[[int], None] | None = None, every: int = 500
) -> bytes:
    """An .xlsx of several sheets, in order, each written as `write_workbook` writes its one (headers,
    every value neutralised, streamed). `progress(n)` counts the rows of all sheets together."""
    workbook = Workbook(write_only=True)
    count = 0
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title))
        for index, column in enumerate(sheet.columns):
            worksheet.column_dimensions[_letter(index)].width = column.width
        worksheet.append([str(column.header) for column in sheet.columns])
        for row in sheet.rows:
            worksheet.append([neutralise(value) for value in row])
            count += 1
            if progress and count % every == 0:
                progress(count)
    if progress:
        progress(count)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook(
    columns: Sequence[Column], *, title: str | Promise = "", examples: Sequence[Sequence[Any]] = ()
) -> bytes:
    """The import template: the header row in bold (Chinese), example rows if given, and a second
    sheet that says, per column, whether it is required and what it takes."""
    workbook = Workbook()
    worksheet = workbook.worksheets[0]
    worksheet.title = _sheet_title(title)
    worksheet.append([str(column.header) for column in columns])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns):
        worksheet.column_dimensions[_letter(index)].width = column.width
    for example in examples:
        worksheet.append([neutralise(value) for value in example])
    notes = workbook.create_sheet(_sheet_title(_("Instructions")))
    notes.append([gettext("Column"), gettext("Required"), gettext("What it takes")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns:
        notes.append([str(column.header), gettext("yes") if column.required else gettext("no"), str(column.help)])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A download of an .xlsx; the file name may be Chinese (RFC 6266 filename*)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


def _sheet_title(title: str | Promise) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:31]
    return cleaned or "Sheet1"


def _letter(index: int) -> str:
    return get_column_letter(index + 1)
