"""Errors that reach the user as one Czech line (the CLI prints them without a traceback)."""


class SprssError(Exception):
    """An error whose message is a complete Czech sentence for the analyst."""


class FormatError(SprssError):
    """Input file does not have the expected content; `row` is the 1-based row in the file."""

    def __init__(self, message: str, row: int | None = None, file: str | None = None) -> None:
        self.detail = message
        self.row = row
        self.file = file
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.file:
            where.append(f"soubor {self.file}")
        if self.row is not None:
            where.append(f"řádek {self.row}")
        return (", ".join(where) + ": " if where else "") + self.detail

    def in_file(self, file: str) -> "FormatError":
        """Return the same error located in `file` (parsers see bytes, callers know names)."""
        return FormatError(self.detail, row=self.row, file=file)
