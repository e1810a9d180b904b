"""Writing tidy tables for analysts: CSV (full precision) or a formatted XLSX sheet, always atomically."""
from datetime import date
from enum import Enum
import io
from pathlib import Path
import re
import sys
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
import pandas as pd

from pipeline.core.files import atomic_write, reproducible_archive


class Format(str, Enum):
    """Table formats every command offers with --format."""
    csv = "csv"
    xlsx = "xlsx"


def plain_values(values: pd.Series) -> pd.Series:
    """Counts as integers ('100234', not '100234.0'); other values keep full precision."""
    plain = [int(v) if isinstance(v, float) and v.is_integer() else v for v in values]
    return pd.Series(plain, index=values.index, dtype=object)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    if "hodnota" in out:
        out["hodnota"] = plain_values(out["hodnota"])
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], source_line: str) -> bytes:
    """Tidy tables as formatted sheets: bold frozen header with filters, number formats (values in per cent,
    unit '%' in a `jednotka` column, shown with '%'), ISO dates as dates, widths, source line below."""
    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        ws = book.create_sheet(title[:31])
        ws.append(list(frame.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        dates = [c for c in frame.columns if _iso_dates(frame[c])]
        for row in frame.itertuples(index=False):
            ws.append([None if _missing(v) else date.fromisoformat(v) if c in dates else v
                       for c, v in zip(frame.columns, row, strict=True)])
        percent = list(frame["jednotka"] == "%") if "jednotka" in frame else [False] * len(frame)
        for position, column in enumerate(frame.columns, start=1):
            if column in dates:
                for (cell,) in ws.iter_rows(min_row=2, min_col=position, max_col=position):
                    cell.number_format = "d. m. yyyy"
            if pd.api.types.is_float_dtype(frame[column]) or column == "hodnota":
                for (cell,), is_percent in zip(ws.iter_rows(min_row=2, max_row=len(frame) + 1, min_col=position,
                                                            max_col=position), percent, strict=True):
                    if isinstance(cell.value, float):
                        cell.number_format = "#,##0" if cell.value.is_integer() else "#,##0.00"
                        if is_percent:
                            cell.number_format += '" %"'
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(500)])
            ws.column_dimensions[get_column_letter(position)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(len(frame.columns), 1))}{len(frame) + 1}"
        ws.append([])
        ws.append([source_line])
        ws.cell(ws.max_row, 1).font = Font(italic=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return reproducible_archive(buffer.getvalue())


def _iso_dates(values: pd.Series) -> bool:
    """A column of ISO dates kept as text in the tidy table ('2023-01-01'): Excel should see dates."""
    present = [v for v in values.head(500) if isinstance(v, str)]
    return bool(present) and len(present) == values.head(500).notna().sum() and all(ISO_DATE.fullmatch(v) for v in present)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def write_bytes(content: bytes, output: Path | None) -> None:
    """To stdout when no file is given; a file is written to a temporary name and renamed."""
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    atomic_write(Path(output), content)
