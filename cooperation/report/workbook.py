"""Tables for people who open Excel or LibreOffice, not Python.

:func:`write_workbook` writes one sheet per table (openpyxl; units are in the
column headers, as the brief writes them), a bold frozen header row and
column widths that fit. :func:`write_csv_tables` writes the same tables as
one CSV file each, UTF-8, with a byte-order mark on request (``bom=True``:
Excel in a zh-CN locale reads BOM-less UTF-8 as GBK and garbles Chinese).

Text cells that begin with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) are neutralised with a leading single quote, so that a spreadsheet
shows them as text and never runs them as formulas (OWASP, "CSV Injection");
numbers are untouched. Every file is written atomically.

References
----------
OWASP Foundation, "CSV Injection" (prefix a single quote).
ECMA-376, *Office Open XML File Formats*, part 1 (the .xlsx format openpyxl writes).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from ..errors import InputError

__all__ = ["write_workbook", "write_csv_tables", "sheet_name", "safe_frame"]

try:  # the package-wide rule (cooperation._io), when this version has it
    from .._io import neutralise_cell
except ImportError:  # pragma: no cover - older _io
    _PREFIXES = ("=", "+", "-", "@", "\t", "\r")

    def neutralise_cell(value):
        if isinstance(value, str) and value.startswith(_PREFIXES):
            return "'" + value
        return value

_BAD_SHEET = re.compile(r"[\[\]\*\?/\\:]")


def sheet_name(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]*?/\\:``, unique.

    Examples
    --------
    >>> sheet_name("fund [EUR M]", set())
    'fund (EUR M)'
    """
    base = _BAD_SHEET.sub("-", str(name).replace("[", "(").replace("]", ")")).strip("'") \
        or "sheet"
    out, k = base[:31], 2
    while out.lower() in {t.lower() for t in taken}:
        suffix = f" {k}"
        out, k = base[:31 - len(suffix)] + suffix, k + 1
    taken.add(out)
    return out


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell and header neutralised (numbers untouched).

    Examples
    --------
    >>> safe_frame(pd.DataFrame({"name": ["=1+1", "Anhui"], "x": [-1.0, 2.0]}))["name"].tolist()
    ["'=1+1", 'Anhui']
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            out[col] = s.map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def _check_tables(tables) -> dict:
    if not isinstance(tables, dict) or not tables:
        raise InputError("needs a non-empty dict name -> DataFrame", field="tables",
                         value=type(tables).__name__)
    for name, df in tables.items():
        if not isinstance(df, pd.DataFrame):
            raise InputError("every table must be a DataFrame", field=f"tables[{name!r}]",
                             value=type(df).__name__)
    return tables


def write_workbook(tables: dict, path: str | os.PathLike) -> Path:
    """Write ``tables`` (name -> DataFrame) as an .xlsx workbook, one sheet each, atomically.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> _ = write_workbook({"payments": pd.DataFrame({"payer": ["-A"], "amount [EUR M]": [2.5]})},
    ...                    path)
    >>> ws = openpyxl.load_workbook(path)["payments"]
    >>> [c.value for c in ws[1]], [c.value for c in ws[2]]
    (['payer', 'amount [EUR M]'], ["'-A", 2.5])
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .._io import atomic_write

    tables = _check_tables(tables)
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, df in tables.items():
        ws = wb.create_sheet(sheet_name(name, taken))
        safe = safe_frame(df.reset_index(drop=True))
        ws.append(list(safe.columns))
        for row in safe.itertuples(index=False):
            ws.append([None if (isinstance(v, float) and v != v) else
                       (v.item() if hasattr(v, "item") else v) for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for k, col in enumerate(safe.columns, start=1):
            width = max([len(str(col))] + [len(f"{v:.6g}" if isinstance(v, float) else str(v))
                                            for v in safe.iloc[:200, k - 1]])
            ws.column_dimensions[ws.cell(1, k).column_letter].width = min(60, width * 1.15 + 2)
    return atomic_write(path, lambda tmp: wb.save(tmp))


def write_csv_tables(tables: dict, folder: str | os.PathLike, *, bom: bool = False) -> Path:
    """Write each table as ``folder/<name>.csv`` (UTF-8, with a BOM when ``bom``), atomically.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "tables"
    >>> _ = write_csv_tables({"fund": pd.DataFrame({"成员": ["A"], "x": [1.0]})}, out, bom=True)
    >>> (out / "fund.csv").read_bytes()[:3] == b"\\xef\\xbb\\xbf"
    True
    """
    from .._io import atomic_write_csv

    tables = _check_tables(tables)
    folder = Path(folder)
    taken: set[str] = set()
    for name, df in tables.items():
        file = folder / f"{sheet_name(name, taken)}.csv"
        # the package's one CSV writer: cells neutralised, 12 digits, NaN spelled, CRLF
        atomic_write_csv(file, df.reset_index(drop=True), index=False, bom=bom)
    return folder
