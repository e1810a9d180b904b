"""Survey answers in the warehouse (tables of models/pruzkum/schema.sql), loaded from the snapshot folders of
data/raw/pruzkum/ through the same `evaluate` as the import, so the warehouse holds what the import reported."""
from datetime import UTC

import duckdb
import pandas as pd

from pipeline.core import territory
from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError
from pipeline.raw.surveys import Evaluation, Survey, evaluate, stored
from pipeline.warehouse.obce import load_obce


def load(con: duckdb.DuckDBPyConnection, data: DataDir) -> None:
    """Every stored survey, validated against the obce already in the build."""
    surveys = stored(data)
    if not surveys:
        return
    obce = load_obce(con)
    for survey in surveys:
        try:
            evaluation = evaluate(survey, obce)
        except SprssError as exc:
            raise SprssError(f"Průzkum {survey.name}: {exc}") from exc
        _insert(con, survey, evaluation)


def _insert(con: duckdb.DuckDBPyConnection, survey: Survey, evaluation: Evaluation) -> None:
    book, result, meta = evaluation.codebook, evaluation.result, survey.meta()
    valid, rejected = len(result.respondents), len(result.rejects)
    tables = {
        "pruzkum": pd.DataFrame([{
            "pruzkum": survey.name, "uzemi": survey.selector, "uzemi_nazev": evaluation.territory.area.nazev,
            "puvodni_nazev": survey.export_name, "sha256": meta["sha256"], "velikost": meta["velikost"],
            "kodovnik": survey.codebook_name,
            "importovano": survey.imported_at.astimezone(UTC).replace(tzinfo=None),
            "radku": valid + rejected + result.empty_rows, "platnych": valid, "odmitnutych": rejected,
            "prazdnych": result.empty_rows}]),
        "pruzkum_obce": _territory_obce(evaluation.territory),
        "pruzkum_otazky": pd.DataFrame([{
            "otazka": q.id, "poradi": position, "text": q.text, "typ": q.type, "povinna": q.required,
            "jine": q.other, "vek": q.is_age} for position, q in enumerate(book.questions, start=1)]),
        "pruzkum_moznosti": pd.DataFrame([{
            "otazka": q.id, "poradi": position, "moznost": o.text, "hodnota": o.value, "nevim": o.dont_know,
            "vek_od": o.ages[0] if o.ages else None, "vek_do": o.ages[1] if o.ages else None}
            for q in book.questions for position, o in enumerate(q.options, start=1)],
            columns=["otazka", "poradi", "moznost", "hodnota", "nevim", "vek_od", "vek_do"]),
        "pruzkum_respondenti": result.respondents,
        "pruzkum_odpovedi": result.answers,
        "pruzkum_odmitnute": result.rejects[["radek", "duvod"]],
    }
    for table, frame in tables.items():
        if frame.empty:
            continue
        con.register("incoming", frame.assign(pruzkum=survey.name))
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
        con.unregister("incoming")


def _territory_obce(chosen: territory.Territory) -> pd.DataFrame:
    oblast = {kod: area.nazev for area in chosen.oblasti for kod in area.obce}
    frame = chosen.obce[["obec_kod", "obec_nazev"]].copy()
    frame["oblast"] = frame["obec_kod"].map(oblast)
    return frame
