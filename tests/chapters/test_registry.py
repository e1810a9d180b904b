"""The chapter registry (pipeline/chapters/kapitoly.yaml): what `sprss report`, `sprss run` and the runner read."""
import operator

import duckdb
import pytest

from pipeline import chapters
from pipeline.chapters import runner
from pipeline.chapters.runner import render_batch, render_study
from pipeline.core.config import DataDir
from pipeline.core.errors import SprssError


def test_registry_holds_the_chapters_with_their_folders():
    assert {name: (c.notebook_file, c.subdir, c.input_table, c.parameters) for name, c in chapters.CHAPTERS.items()} == {
        "demografie": ("demografie.py", "", None, ()),
        "sluzby": ("sluzby.py", "sluzby", "sluzby", ()),
        "vyhled": ("vyhled.py", "vyhled", "projekce_vstup", ()),
        "pruzkum": ("pruzkum.py", "pruzkum-{pruzkum}", "pruzkum", ("pruzkum", "vahy")),
        "pohyb": ("pohyb.py", "pohyb", "pohyb_obyvatel", ()),
        "socialni": ("socialni.py", "socialni", "socialni_obce", ()),
        "financovani": ("financovani.py", "financovani", "financovani_obec_rok", ()),
        "plan": ("plan.py", "vyhodnoceni-planu", None, ("plan",)),
    }
    assert chapters.chapter("sluzby").title == "Analýza nabídky sociálních služeb"


def test_report_offers_only_chapters_needing_just_a_territory():
    assert [c.name for c in chapters.for_territory()] == ["demografie", "pohyb", "socialni", "vyhled", "sluzby", "financovani"]


def test_run_adds_a_chapter_only_when_its_input_table_has_rows():
    con = duckdb.connect()
    con.execute("CREATE TABLE sluzby (sluzba_id TEXT)")
    con.execute("CREATE TABLE pruzkum (pruzkum TEXT)")
    con.execute("CREATE TABLE pohyb_obyvatel (uzemi_kod TEXT)")
    con.execute("CREATE TABLE socialni_obce (obec_kod TEXT)")
    con.execute("CREATE TABLE projekce_vstup (radku_projekce BIGINT)")
    con.execute("CREATE TABLE financovani_obec_rok (obec_kod TEXT)")
    con.execute("INSERT INTO pruzkum VALUES ('obcane')")  # a survey chapter is never added: it needs a name
    assert [c.name for c in chapters.present(con)] == ["demografie"]
    con.execute("INSERT INTO sluzby VALUES ('1')")
    assert [c.name for c in chapters.present(con)] == ["demografie", "sluzby"]
    con.execute("INSERT INTO pohyb_obyvatel VALUES ('586846')")
    assert [c.name for c in chapters.present(con)] == ["demografie", "pohyb", "sluzby"]
    con.execute("INSERT INTO financovani_obec_rok VALUES ('583910')")
    assert [c.name for c in chapters.present(con)] == ["demografie", "pohyb", "sluzby", "financovani"]


def test_unknown_chapter_is_refused_by_name(tmp_path):
    with pytest.raises(SprssError, match="Neznámá kapitola 'mapy'; známé kapitoly: demografie, pohyb, socialni, vyhled, sluzby, financovani, pruzkum, plan"):
        render_study("orp:6105", tmp_path, DataDir(tmp_path), chapter="mapy")


def test_a_chapter_gets_exactly_its_own_parameters(tmp_path):
    with pytest.raises(SprssError, match="Kapitola pruzkum má parametry pruzkum, vahy, zadány byly žádné"):
        render_study("orp:6105", tmp_path, DataDir(tmp_path), chapter="pruzkum")
    with pytest.raises(SprssError, match="Kapitola pruzkum má parametry pruzkum, vahy"):
        render_batch("kraj:3107", "orp", tmp_path, DataDir(tmp_path), chapter="pruzkum")
    with pytest.raises(SprssError, match="Kapitola demografie má parametry žádné, zadány byly pruzkum"):
        render_study("orp:6105", tmp_path, DataDir(tmp_path), params={"pruzkum": "obcane"})


def test_chapters_of_one_territory_run_in_parallel_and_come_back_in_their_order(tmp_path):
    studies = [(name, None, tmp_path / name) for name in ("demografie", "socialni", "vyhled")]
    folder = operator.itemgetter(2)  # picklable: spawned workers run it
    assert runner._render_chapters(folder, studies, jobs=2) == [tmp_path / "demografie", tmp_path / "socialni",
                                                                 tmp_path / "vyhled"]
    assert runner._render_chapters(folder, studies, jobs=1) == runner._render_chapters(folder, studies, jobs=3)
    with pytest.raises(IndexError):  # a worker's error reaches the caller
        runner._render_chapters(operator.itemgetter(5), studies, jobs=2)
