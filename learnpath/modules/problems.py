"""Located problems in a module file, and the report that collects them while parsing."""

from dataclasses import dataclass


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
