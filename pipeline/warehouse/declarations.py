"""The warehouse's declared tables and models: models/<domain>/ holds schema.sql (the tables the source files
load), one SQL file per model (a plain SELECT) and models.yaml, which declares every table and model with its
Czech description, its data tests and, for a model, the tables and models it reads (`depends_on`).

Models run in the order of their dependencies. A model either becomes a table (default) or a view, or is
inserted into a declared table (`insert_into`), optionally only `when` an SQL condition holds, and optionally
replacing the target's rows with the same values of the `replace` columns (one edition per level, as the build
keeps for files); readers of that table then run after it. Models of the territory domain read territory tables
only: they run before the other files are loaded, because those are checked against `obce`.
"""
from collections.abc import Mapping
from dataclasses import dataclass
import graphlib
from pathlib import Path
from typing import Any

import duckdb
import yaml

from pipeline.core.errors import SprssError
from pipeline.warehouse.data_tests import DataTest, parse

MODELS_DIR = Path(__file__).parent / "models"
DECLARATIONS = "models.yaml"
SCHEMA = "schema.sql"
TERRITORY_DOMAIN = "uzemi"
MATERIALIZATIONS = ("table", "view")


@dataclass(frozen=True)
class Model:
    name: str
    domain: str
    description: str
    depends_on: tuple[str, ...]
    sql: str
    materialized: str = "table"
    insert_into: str | None = None
    when: str | None = None  # SQL condition of an insert model, e.g. "the target is still empty"
    replace: tuple[str, ...] = ()  # an insert model's rows replace the target's rows with the same values of these

    def run(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.insert_into is None:
            con.execute(f"CREATE {self.materialized.upper()} {self.name} AS\n{self.sql}")
            return
        if self.when is not None and not con.execute(f"SELECT ({self.when})").fetchall()[0][0]:
            return
        if not self.replace:
            con.execute(f"INSERT INTO {self.insert_into} BY NAME\n{self.sql}")
            return
        con.execute(f"CREATE TEMPORARY TABLE {self.name} AS\n{self.sql}")
        same = " AND ".join(f"m.{c} = {self.insert_into}.{c}" for c in self.replace)
        con.execute(f"DELETE FROM {self.insert_into} WHERE EXISTS (SELECT 1 FROM {self.name} AS m WHERE {same})")
        con.execute(f"INSERT INTO {self.insert_into} BY NAME SELECT * FROM {self.name}")
        con.execute(f"DROP TABLE {self.name}")


@dataclass(frozen=True)
class Project:
    """Everything declared under one models directory; `models` in the order they must run."""
    schemas: tuple[Path, ...]
    tables: dict[str, str]      # table loaded from source files -> its domain
    models: tuple[Model, ...]
    tests: tuple[DataTest, ...]

    def territorial(self) -> list[Model]:
        return [m for m in self.models if m.domain == TERRITORY_DOMAIN]

    def others(self) -> list[Model]:
        return [m for m in self.models if m.domain != TERRITORY_DOMAIN]


def load(root: Path = MODELS_DIR) -> Project:
    """Read every domain's declarations and order the models; any inconsistency is one Czech line."""
    schemas, tables, models, tests = [], {}, {}, []
    for folder in sorted(p for p in root.iterdir() if (p / DECLARATIONS).exists()):
        where = f"{folder.name}/{DECLARATIONS}"
        declared = yaml.safe_load((folder / DECLARATIONS).read_text(encoding="utf-8")) or {}
        if (folder / SCHEMA).exists():
            schemas.append(folder / SCHEMA)
        for name, spec in (declared.get("tables") or {}).items():
            _describe(name, spec, where)
            tables[name] = folder.name
            tests += parse(name, spec.get("tests") or [], where)
        for name, spec in (declared.get("models") or {}).items():
            _describe(name, spec, where)
            if name in tables or name in models:
                raise SprssError(f"{where}: model {name} je deklarován dvakrát nebo se jmenuje jako tabulka.")
            models[name] = _model(name, folder, spec, where)
            tests += parse(name, spec.get("tests") or [], where)
    ordered = order(models, tables)
    for test in tests:
        for needed in (test.table, test.target):
            if needed is not None and needed not in tables and needed not in models:
                raise SprssError(f"Test {test.kind} tabulky {test.table} odkazuje na nedeklarovanou tabulku {needed}.")
    return Project(tuple(schemas), tables, tuple(ordered), tuple(tests))


def _describe(name: str, spec: Any, where: str) -> None:
    if not isinstance(spec, Mapping) or not spec.get("description"):
        raise SprssError(f"{where}: {name} nemá popis (description).")


def _model(name: str, folder: Path, spec: Mapping[str, Any], where: str) -> Model:
    sql_path = folder / f"{name}.sql"
    if not sql_path.exists():
        raise SprssError(f"{where}: k modelu {name} chybí soubor {sql_path.name}.")
    materialized = spec.get("materialized", "table")
    if materialized not in MATERIALIZATIONS:
        raise SprssError(f"{where}: model {name} má neznámé materialized {materialized!r}; možné: table, view.")
    for option in ("when", "replace"):
        if spec.get(option) and not spec.get("insert_into"):
            raise SprssError(f"{where}: {option} modelu {name} platí jen pro model s insert_into.")
    return Model(name, folder.name, spec["description"], tuple(spec.get("depends_on") or ()),
                 sql_path.read_text(encoding="utf-8").strip(), materialized, spec.get("insert_into"), spec.get("when"),
                 tuple(spec.get("replace") or ()))


def order(models: Mapping[str, Model], tables: Mapping[str, str]) -> list[Model]:
    """Models in an order where each runs after everything it reads (graphlib.TopologicalSorter)."""
    fillers: dict[str, list[str]] = {}
    for model in models.values():
        if model.insert_into is not None:
            if model.insert_into not in tables:
                raise SprssError(f"Model {model.name} vkládá do nedeklarované tabulky {model.insert_into}.")
            fillers.setdefault(model.insert_into, []).append(model.name)
    domain_of = {**tables, **{m.name: m.domain for m in models.values()}}
    graph: dict[str, set[str]] = {}
    for model in models.values():
        graph[model.name] = set()
        for dependency in model.depends_on:
            if dependency not in domain_of:
                raise SprssError(f"Model {model.name} závisí na neznámé tabulce nebo modelu {dependency}.")
            if model.domain == TERRITORY_DOMAIN and domain_of[dependency] != TERRITORY_DOMAIN:
                raise SprssError(f"Model {model.name} domény {TERRITORY_DOMAIN} čte {dependency} z jiné domény; "
                                 "územní modely smějí číst jen územní tabulky.")
            graph[model.name] |= {dependency} if dependency in models else set(fillers.get(dependency, ()))
    try:
        names = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        raise SprssError(f"Modely tvoří cyklus závislostí {' → '.join(exc.args[1])} (každý čte předchozí); "
                         "model nesmí ani nepřímo číst sám sebe.") from None
    return [models[name] for name in names]
