"""CSV downloads in the conventions HR tools and Excel expect.

UTF-8 with a byte-order mark (Excel otherwise reads it as Windows-1252), CRLF line ends, a
comma by default and a semicolon with ?sep=semicolon (Dutch Excel uses the comma as decimal
mark and splits on semicolons), and cells that would start a formula neutralised.
"""

import csv
import io
from urllib.parse import quote

from flask import Response, request

SEPARATORS = {"comma": ",", "semicolon": ";"}
BOM = "\ufeff"


def separator_arg() -> str | None:
    """The separator asked for in ?sep= (comma or semicolon); None when it is unknown."""
    return SEPARATORS.get(request.args.get("sep", "comma").strip().lower() or "comma")


def safe_cell(value):
    """Keep spreadsheet programs from reading text as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(header, rows, filename: str, separator: str = ",") -> Response:
    """A CSV attachment: BOM, CRLF, the separator, formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(BOM + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": disposition,
                             "Content-Type": "text/csv; charset=utf-8"})
