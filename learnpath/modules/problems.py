"""Located problems in a module file, and the report that collects them while parsing."""

from dataclasses import dataclass

from learnpath.web.i18n import lazy_text as _l

# A ten-minute module is about 15 KB; the cap keeps pathological input from tying up a
# worker in Python-Markdown (about 1 s per 100 KB of worst-case text).
MAX_FILE_BYTES = 256 * 1024


@dataclass
class Problem:
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None  # the front-matter key concerned, when there is one

    def __str__(self) -> str:
        if self.line is None:
            return str(self.message)
        if self.column is None:
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"


class Report:
    """Collects problems, placing front-matter ones on the line of their key."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.key_lines: dict[str, int] = {}

    def error(self, message, key=None, line=None, column=None) -> None:
        self.errors.append(Problem(message, line or self.key_lines.get(key), column, key))

    def warn(self, message, key=None, line=None) -> None:
        self.warnings.append(Problem(message, line or self.key_lines.get(key), None, key))


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{-(-n // 1024)} KB"


def too_large(size: int, limit: int = MAX_FILE_BYTES) -> Problem:
    """A file refused for its size, saying both (a 50 MB file is never read to find out)."""
    return Problem(_l("The file is %(size)s, larger than the limit of %(limit)s; refused.",
                      size=_size(size), limit=_size(limit)))
