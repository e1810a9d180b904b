"""Data tests declared beside the models (models/<domain>/models.yaml), run on every build before it is kept.

Kinds, as in dbt: `unique` (columns together), `not_null` (each column), `accepted_values` (NULL allowed),
`relationships` (every non-NULL value is in another table) and `expression` (a condition that must hold for
every row, with the problem and the expectation said in Czech). A failure is one Czech line naming the table,
the column, the number of bad rows, an example and what was expected.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from pipeline.core.errors import SprssError
from pipeline.core.text import plural

KINDS = ("unique", "not_null", "accepted_values", "relationships", "expression")


@dataclass(frozen=True)
class DataTest:
    table: str
    kind: str
    columns: tuple[str, ...]
    values: tuple[str, ...] = ()              # accepted_values
    target: str | None = None                 # relationships: the table holding the valid values
    target_columns: tuple[str, ...] = ()      # relationships: its columns (default: the same names)
    condition: str | None = None              # expression: SQL that is true for every good row
    problem: str | None = None                # what is wrong with a bad row ("s věkovou skupinou přes hranici…")
    expected: str | None = None               # what was expected ("očekáván kód obce z územní struktury")

    def bad_rows_sql(self) -> str:
        """The bad rows, their example columns first, in a stable order."""
        shown = ", ".join(f"t.{c}" for c in self.columns)
        present = " AND ".join(f"t.{c} IS NOT NULL" for c in self.columns)
        match self.kind:
            case "unique":
                keys = ", ".join(self.columns)
                return (f"SELECT {shown} FROM {self.table} AS t SEMI JOIN (SELECT {keys} FROM {self.table} "
                        f"GROUP BY ALL HAVING count(*) > 1) AS d USING ({keys}) ORDER BY ALL")
            case "not_null":
                return f"SELECT {shown} FROM {self.table} AS t WHERE t.{self.columns[0]} IS NULL"
            case "accepted_values":
                allowed = ", ".join(_literal(v) for v in self.values)
                return (f"SELECT {shown} FROM {self.table} AS t "
                        f"WHERE {present} AND CAST(t.{self.columns[0]} AS TEXT) NOT IN ({allowed}) ORDER BY ALL")
            case "relationships":
                join = " AND ".join(f"t.{c} = r.{rc}" for c, rc in zip(self.columns, self.target_columns, strict=True))
                return (f"SELECT {shown} FROM {self.table} AS t "
                        f"WHERE {present} AND NOT EXISTS (SELECT 1 FROM {self.target} AS r WHERE {join}) ORDER BY ALL")
            case _:
                return f"SELECT {shown} FROM {self.table} AS t WHERE NOT coalesce(({self.condition}), false) ORDER BY ALL"

    def message(self, count: int, example: Sequence[Any]) -> str:
        where = f"sloupec {self.columns[0]}" if len(self.columns) == 1 else f"sloupce {', '.join(self.columns)}"
        shown = ", ".join(_shown(v) for v in example)
        return (f"Kontrola dat: tabulka {self.table}, {where}: {plural(count, 'řádek', 'řádky', 'řádků')} "
                f"{self.problem or self._default_problem()} (např. {shown}); {self.expected or self._default_expected()}.")

    def _default_problem(self) -> str:
        match self.kind:
            case "unique":
                return "se stejnou hodnotou jako jiný řádek"
            case "not_null":
                return "bez hodnoty"
            case "accepted_values":
                return "s nepovolenou hodnotou"
            case _:
                return f"s hodnotou, která není v tabulce {self.target}"

    def _default_expected(self) -> str:
        match self.kind:
            case "unique":
                return "očekáván nejvýš jeden řádek s každou hodnotou"
            case "not_null":
                return "očekávána vyplněná hodnota"
            case "accepted_values":
                return f"očekávána jedna z hodnot {', '.join(self.values)}"
            case _:
                return f"očekávána hodnota ze sloupce {self.target}.{', '.join(self.target_columns)}"


def parse(table: str, declarations: Sequence[Mapping[str, Any]], where: str) -> list[DataTest]:
    """The `tests:` list of one table or model; `where` names the declaration file for errors."""
    tests = []
    for declaration in declarations:
        if not isinstance(declaration, Mapping) or len(declaration) != 1 or next(iter(declaration)) not in KINDS:
            raise SprssError(f"{where}: neznámý test {declaration!r} u tabulky {table}; možné testy: {', '.join(KINDS)}.")
        ((kind, spec),) = declaration.items()
        context = f"{where}: test {kind} u tabulky {table}"
        if kind == "not_null":
            tests += [DataTest(table, kind, (column,)) for column in _names(spec, context)]
        elif kind == "unique":
            tests.append(DataTest(table, kind, _names(spec, context)))
        else:
            if not isinstance(spec, Mapping):
                raise SprssError(f"{where}: test {kind} u tabulky {table} potřebuje slovník (column, …).")
            columns = _names(spec.get("columns", spec.get("column")), context)
            tests.append(DataTest(
                table, kind, columns, values=tuple(str(v) for v in spec.get("values", ())),
                target=spec.get("to"), target_columns=_names(spec.get("to_columns", list(columns)), context),
                condition=spec.get("condition"), problem=spec.get("problem"), expected=spec.get("expected")))
            _require(tests[-1], where)
    return tests


def _require(test: DataTest, where: str) -> None:
    missing = {"accepted_values": [] if test.values else ["values"], "relationships": [] if test.target else ["to"],
               "expression": [name for name, value in (("condition", test.condition), ("problem", test.problem),
                                                        ("expected", test.expected)) if not value]}[test.kind]
    if missing:
        raise SprssError(f"{where}: test {test.kind} u tabulky {test.table} nemá {', '.join(missing)}.")
    if len(test.columns) != len(test.target_columns):
        raise SprssError(f"{where}: test {test.kind} u tabulky {test.table} má jiný počet sloupců v columns a to_columns.")


def _names(value: Any, context: str) -> tuple[str, ...]:
    listed = [value] if isinstance(value, str) else list(value or ())
    if not listed or not all(isinstance(n, str) for n in listed):
        raise SprssError(f"{context} potřebuje název sloupce nebo jejich seznam, ne {value!r}.")
    return tuple(listed)


def run(con: duckdb.DuckDBPyConnection, tests: Sequence[DataTest]) -> None:
    """Every test on the open build; the first failure stops the build (nothing is kept)."""
    for test in tests:
        sql = test.bad_rows_sql()
        (count,) = con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0]
        if count:
            raise SprssError(test.message(count, con.execute(f"{sql} LIMIT 1").fetchall()[0]))


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _shown(value: Any) -> str:
    if value is None:
        return "prázdná hodnota"
    return value.isoformat() if isinstance(value, date) else str(value)
