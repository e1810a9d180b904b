"""Models declared in models/<domain>/models.yaml run in the order of their dependencies; an unknown
dependency, a cycle or a territory model reading another domain is refused with one Czech line."""
from pathlib import Path
import textwrap

import duckdb
import pytest

from pipeline.core.errors import SprssError
from pipeline.warehouse import declarations


def write_domain(root: Path, domain: str, yaml_text: str, sql: dict[str, str], schema: str = "") -> None:
    folder = root / domain
    folder.mkdir(parents=True)
    (folder / "models.yaml").write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    if schema:
        (folder / "schema.sql").write_text(schema, encoding="utf-8")
    for name, text in sql.items():
        (folder / f"{name}.sql").write_text(text, encoding="utf-8")


def test_real_declarations_order_every_model_after_what_it_reads():
    project = declarations.load()
    position = {m.name: i for i, m in enumerate(project.models)}
    fillers = {m.insert_into: m.name for m in project.models if m.insert_into}
    for model in project.models:
        for dependency in model.depends_on:
            before = dependency if dependency in position else fillers.get(dependency)
            if before:
                assert position[before] < position[model.name], (model.name, dependency)
    # sluzby_terenni_pusobnost reads obce, which the derivation from the code lists may fill
    assert position["obce_z_ciselniku"] < position["sluzby_terenni_pusobnost"]
    assert [m.name for m in project.territorial()] == ["obce_z_ciselniku"]
    assert {"obec_pocty", "sluzby_terenni_pusobnost", "sluzby_kontrola"} <= {m.name for m in project.others()}
    assert all(m.description for m in project.models)


def test_order_follows_dependencies_not_names(tmp_path):
    write_domain(tmp_path, "populace", """
        tables:
          zdroj:
            description: Vstupní tabulka.
        models:
          a_posledni:
            description: Čte b_prostredni.
            depends_on: [b_prostredni]
          b_prostredni:
            description: Čte c_prvni.
            depends_on: [c_prvni]
          c_prvni:
            description: Čte vstupní tabulku.
            depends_on: [zdroj]
        """, {"a_posledni": "SELECT n + 1 AS n FROM b_prostredni", "b_prostredni": "SELECT n * 10 AS n FROM c_prvni",
              "c_prvni": "SELECT n FROM zdroj"}, schema="CREATE TABLE zdroj (n INTEGER);")
    project = declarations.load(tmp_path)
    assert [m.name for m in project.models] == ["c_prvni", "b_prostredni", "a_posledni"]
    con = duckdb.connect()
    for schema in project.schemas:
        con.execute(schema.read_text())
    con.execute("INSERT INTO zdroj VALUES (4)")
    for model in project.models:
        model.run(con)
    assert con.execute("SELECT n FROM a_posledni").fetchall() == [(41,)]


def test_a_cycle_is_refused(tmp_path):
    write_domain(tmp_path, "sluzby", """
        models:
          prvni:
            description: Čte druhý.
            depends_on: [druhy]
          druhy:
            description: Čte první.
            depends_on: [prvni]
        """, {"prvni": "SELECT * FROM druhy", "druhy": "SELECT * FROM prvni"})
    with pytest.raises(SprssError) as error:
        declarations.load(tmp_path)
    message = str(error.value)
    assert message.startswith("Modely tvoří cyklus závislostí ")
    assert "prvni" in message and "druhy" in message and "\n" not in message


def test_an_unknown_dependency_is_refused(tmp_path):
    write_domain(tmp_path, "populace", """
        models:
          pocty:
            description: Čte tabulku, kterou nikdo nedeklaroval.
            depends_on: [populace_neznama]
        """, {"pocty": "SELECT * FROM populace_neznama"})
    with pytest.raises(SprssError, match="^Model pocty závisí na neznámé tabulce nebo modelu populace_neznama.$"):
        declarations.load(tmp_path)


def test_a_territory_model_may_read_only_territory_tables(tmp_path):
    write_domain(tmp_path, "populace", """
        tables:
          populace_celkem:
            description: Počty obyvatel.
        """, {})
    write_domain(tmp_path, "uzemi", """
        models:
          obce_s_pocty:
            description: Územní model, který by četl počty obyvatel dřív, než jsou načteny.
            depends_on: [populace_celkem]
        """, {"obce_s_pocty": "SELECT * FROM populace_celkem"})
    with pytest.raises(SprssError, match="domény uzemi čte populace_celkem z jiné domény"):
        declarations.load(tmp_path)


def test_a_model_without_its_sql_file_is_refused(tmp_path):
    write_domain(tmp_path, "sluzby", """
        models:
          chybi:
            description: Model bez souboru.
        """, {})
    with pytest.raises(SprssError, match="k modelu chybi chybí soubor chybi.sql"):
        declarations.load(tmp_path)


def test_a_conditional_insert_runs_only_when_its_condition_holds(tmp_path):
    write_domain(tmp_path, "uzemi", """
        tables:
          ciselnik:
            description: Položky.
          obce:
            description: Obce.
        models:
          obce_z_ciselniku:
            description: Obce z číselníku, jen když žádné nejsou.
            depends_on: [ciselnik]
            insert_into: obce
            when: NOT EXISTS (SELECT 1 FROM obce)
          pocet_obci:
            description: Čte obce, tedy běží po jejich odvození.
            depends_on: [obce]
        """, {"obce_z_ciselniku": "SELECT kod AS obec_kod FROM ciselnik", "pocet_obci": "SELECT count(*) AS n FROM obce"},
        schema="CREATE TABLE ciselnik (kod TEXT); CREATE TABLE obce (obec_kod TEXT);")
    project = declarations.load(tmp_path)
    assert [m.name for m in project.models] == ["obce_z_ciselniku", "pocet_obci"]
    for existing, expected in (([], 2), (["586846"], 1)):
        con = duckdb.connect()
        con.execute(project.schemas[0].read_text())
        con.execute("INSERT INTO ciselnik VALUES ('586846'), ('587290')")
        for code in existing:
            con.execute("INSERT INTO obce VALUES (?)", [code])
        for model in project.models:
            model.run(con)
        assert con.execute("SELECT n FROM pocet_obci").fetchall() == [(expected,)]
