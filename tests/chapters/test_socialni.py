"""Chapter "Sociálně-ekonomická situace": on the real table (figures of ORP, kraj and custom territory are the
indicator layer's sums over obce; suppression; ranks; sentences) and on a synthetic territory (the rendered
chapter, edge cases, the golden image)."""
import json
import types
from pathlib import Path

import pandas as pd
import pytest

from builders import (
    FIXTURES,
    STRUKTURA,
    SYNTHETIC_STRUKTURA,
    assert_golden,
    copy_data_dir,
    plain,
    real,
    run_sprss,
    synthetic_territory_data_dir,
    tables_off_page,
    territory_data_dir,
    tool_internals,
)
from pipeline.chapters.runner import render_study
from pipeline.chapters.socialni import charts, data
from pipeline.core.territory import Area
from pipeline.core.text import before_number, czech_number
from socialni_support import INDEX_TABLE, SYNTHETIC_OBCE, write_index_table

UNEMPLOYMENT = FIXTURES / "synthetic_od_nez01_2024.csv"


@pytest.fixture(scope="module")
def real_data(tmp_path_factory):
    copied = copy_data_dir(territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("socialni_real") / "data")
    result = run_sprss("import", real(INDEX_TABLE), data=copied)
    assert result.returncode == 0, result.stderr
    return copied


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    copied = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("socialni") / "data")
    table = write_index_table(tmp_path_factory.mktemp("inputs") / "synthetic_index_vylouceni.xlsx", SYNTHETIC_OBCE)
    result = run_sprss("import", table, UNEMPLOYMENT, data=copied)
    assert result.returncode == 0, result.stderr
    return copied


@pytest.fixture(scope="module")
def workbook():
    frame = pd.read_excel(real(INDEX_TABLE), engine="calamine", dtype=object)
    frame.columns = range(frame.shape[1])
    struktura = pd.read_csv(real(STRUKTURA), dtype=str)[["obec_kod", "orp_csu_cis65_kod", "kraj_csu_cis100_kod"]]
    return frame.assign(obec_kod=frame[0].astype(str)).merge(struktura, on="obec_kod", validate="one_to_one")


def test_comparison_rows_are_sums_over_obce(real_data, workbook):
    d = data.load("orp:6105", real_data.root)
    frame = data.comparison_table(d).frame.set_index(["Ukazatel", "Území"])
    orp, kraj = workbook["orp_csu_cis65_kod"] == "6105", workbook["kraj_csu_cis100_kod"] == "3107"
    assert frame.loc[("Osoby v exekuci", "ORP Jihlava"), "Počet"] == workbook.loc[orp, 13].sum()
    share = workbook.loc[kraj, 22].sum() / workbook.loc[kraj, 12].sum() * 100
    row = frame.loc[("Uchazeči o zaměstnání evidovaní déle než 6 měsíců", "Kraj Vysočina")]
    assert row["Podíl (%)"] == pytest.approx(share, rel=1e-12)
    national = workbook[22].sum() / workbook[12].sum() * 100
    assert row["Lokalizační kvocient (ČR = 1)"] == pytest.approx(share / national, rel=1e-12)


def test_rank_of_the_orp_among_the_orp_of_its_kraj(real_data, workbook):
    d = data.load("obec:Jihlava", real_data.root)  # an obec: the rank is about its ORP
    kraj = workbook[workbook["kraj_csu_cis100_kod"] == "3107"].groupby("orp_csu_cis65_kod")
    shares = (kraj[19].sum() / kraj[11].sum()).sort_values(ascending=False)
    assert data.rank(d, "podil_prijemcu_prispevku_na_zivobyti") == (list(shares.index).index("6105") + 1, 15)
    assert f"Mezi 15 ORP kraje je ORP Jihlava na {list(shares.index).index('6105') + 1}. místě" in \
        data.overview(d, "prijemci_prispevku_na_zivobyti")


def test_small_bases_are_suppressed_and_the_sentence_names_the_obce_above_cr(real_data, workbook):
    d = data.load("orp:6105", real_data.root)
    table = data.units_table(d).frame.set_index("Kód")
    small = table["Obyvatelé 15+"] < data.MIN_BASE
    assert small.any() and table.loc[small, "Podíl osob v exekuci (%)"].isna().all()
    assert table.loc[~small, "Podíl osob v exekuci (%)"].notna().all()
    orp = workbook[(workbook["orp_csu_cis65_kod"] == "6105") & (workbook[11] >= data.MIN_BASE)]
    national = workbook[13].sum() / workbook[11].sum()
    above = orp[orp[13] / orp[11] > national]
    sentence = data.above_national(d, "osoby_v_exekuci")
    assert f"{before_number('z', len(orp))} {len(orp)} hodnocených" in sentence and f"{small.sum()} obcí s méně než 100 obyvateli 15+" in sentence
    assert sentence.count("×)") == min(len(above), 5)


def test_an_obec_shown_at_the_cr_share_is_not_called_higher(real_data):
    """'vyšší než ČR mají 2 obce: Rybné (1,38×), Jihlava (1,00×)': 1,00 × the ČR share does not read as higher."""
    d = data.load("orp:6105", real_data.root)
    jihlava = next(o for o in d.obce if o.nazev == "Jihlava")
    quotient = d.value(jihlava, "lokalizacni_kvocient_prispevku_na_bydleni")
    assert quotient is not None and quotient > 1 and round(quotient, 2) == 1  # above, but not as shown
    sentence = data.above_national(d, "prijemci_prispevku_na_bydleni")
    assert "Jihlava" not in sentence and "(1,00×)" not in sentence and "má 1 obec" in sentence


def test_custom_territory_and_a_single_obec(synthetic, tmp_path: Path):
    custom = tmp_path / "uzemi.yaml"
    custom.write_text("nazev: Jih\nobce: [586846, 587290]\n", encoding="utf-8")
    d = data.load(str(custom), synthetic.root)
    assert d.value(d.head, "osoby_v_exekuci") == 2309
    assert d.value(d.head, "podil_osob_v_exekuci") == pytest.approx(2309 / 45090 * 100)
    assert data.above_national(d, "osoby_v_exekuci").endswith("1 obec s méně než 100 obyvateli 15+ se nehodnotí.")
    single = data.load("obec:587290", synthetic.root)
    assert data.above_national(single, "osoby_v_exekuci") is None
    assert single.value(single.head, "index_socialniho_vylouceni") == 0
    base = single.base(single.head, "osoby_v_exekuci")
    assert base < data.MIN_BASE  # the territory's own value is shown, with the reason why it is not compared
    assert plain(data.overview(single, "osoby_v_exekuci")) == (
        f"Podíl osob v exekuci je v území obce Jihlávka "
        f"{czech_number(single.value(single.head, 'podil_osob_v_exekuci'), 2)} %; při {czech_number(base)} obyvatelích "
        "15+ hodnotu mění jediná osoba, proto se s ČR ani s ORP kraje neporovnává.")
    assert data.index_sentence(single) == ("Zveřejněný index sociálního vyloučení obce Jihlávka je 0 bodů ze 30 "
                                           "(uvádíme beze změny).")


def test_cr_itself_has_no_comparison_with_itself(synthetic):
    d = data.load("stat:CZ", synthetic.root)
    assert data.overview(d, "osoby_v_exekuci").endswith("%.")
    assert d.value(d.head, "index_socialniho_vylouceni") is None  # never for an area


def test_a_cr_study_promises_no_comparison_areas(synthetic, tmp_path: Path):
    """ČR has none: "Česká republika a srovnávací území" in a caption was false (shared.with_references)."""
    out = render_study("stat:CZ", tmp_path / "cr", synthetic, chapter="socialni")
    captions = [item["popisek"] for item in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["polozky"]
                if item["typ"] in ("graf", "tabulka")]
    assert "Sociálně-ekonomické ukazatele: Česká republika k 31. 12. 2023" in [plain(c) for c in captions]
    assert not [c for c in captions if "srovnávací" in c]
    headings = [plain(item["text"]) for item in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["polozky"]
                if item["typ"] == "kapitola"]
    assert "2. Obce a kraje území" in headings  # its sentences count obce, its table and maps show kraje


def test_rendered_chapter(synthetic, tmp_path: Path):
    out = render_study("orp:6105", tmp_path / "socialni", synthetic, chapter="socialni")
    page = (out / "studie.html").read_text(encoding="utf-8")
    assert "Sociálně-ekonomická situace: ORP Jihlava" in page and "Traceback" not in page
    assert tool_internals(page) == set()
    assert tables_off_page(out / "studie.docx") == []  # the table of 14 columns per obec is split by columns
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    texts = plain(" ".join(str(item.get("text", "")) + str(item.get("polozky", "")) for item in manifest["polozky"]))
    assert "nan" not in texts.lower().split() and "None" not in texts
    national = sum(o.exekuce for o in SYNTHETIC_OBCE) / sum(o.nad_15 for o in SYNTHETIC_OBCE)
    rated = [o for o in SYNTHETIC_OBCE if o.orp_kod == "6105" and o.nad_15 >= data.MIN_BASE]
    above = [o for o in rated if o.exekuce / o.nad_15 > national]
    assert f"vyšší než ČR mají {len(above)} obce {before_number('z', len(rated))} {len(rated)} hodnocených: " in texts and len(above) == 2
    assert sorted(p.name for p in (out / "grafy").glob("*.png"))[:2] == ["01_podily_srovnani.png",
                                                                        "02_mapa_podil_osob_v_exekuci.png"] or \
        "hranice obcí" in texts  # maps need boundaries, which the synthetic territory does not have


def test_golden_image(synthetic, tmp_path: Path):
    d = data.load("orp:6105", synthetic.root)
    assert [a.typ for a in d.comparison] == ["orp", "kraj", "stat"]
    assert isinstance(d.head, Area) and SYNTHETIC_STRUKTURA.exists()
    assert_golden(charts.shares_by_area(d), "social_shares", tmp_path)


def test_unemployment_trend_sums_obce_per_month_and_keeps_each_figure_on_its_date(synthetic):
    d = data.load("orp:6105", synthetic.root)
    assert d.obdobi == "2023-12-31" and d.dates["dosazitelni_uchazeci"] == "2024-03-31"
    lines = [line.split(",") for line in UNEMPLOYMENT.read_text(encoding="utf-8").splitlines() if ",NEZ0007," in line]
    orp = {o.kod for o in SYNTHETIC_OBCE if o.orp_kod == "6105"}
    by_month = {}
    for fields in lines:
        if fields[-2] in orp:
            by_month[fields[4]] = by_month.get(fields[4], 0) + int(fields[1])
    trend = data.unemployment_trend(d)
    assert trend.tolist() == [by_month[k] for k in sorted(by_month)]
    sentence = data.unemployment_sentence(d)
    assert sentence.startswith(f"K 31. 3. 2024 bylo v území ORP Jihlava {czech_number(trend.iloc[-1])} dosažitelných")
    assert f"méně o {czech_number(trend.iloc[0] - trend.iloc[-1])}" in sentence
    # a share of the ORP cannot come from a file without bases; an obec keeps its published share
    assert d.value(d.head, "podil_nezamestnanych") is None
    assert d.value(Area("obec", "586846", "Jihlava", ("586846",)), "podil_nezamestnanych") == 3.64


def test_obce_of_the_same_name_are_counted_apart(real_data, workbook):
    """Kraj Vysočina has several obce of one name (e.g. two Kamenice in synthetic data, many in the real kraj)."""
    d = data.load("kraj:3107", real_data.root)
    kraj = workbook[workbook["kraj_csu_cis100_kod"] == "3107"]
    assert kraj[1].duplicated().any()  # names repeat, codes do not
    assert f"Ze {len(kraj)} obcí území: " in data.index_sentence(d)  # ze sedmi set čtyř
    rated = kraj[kraj[11] >= data.MIN_BASE]
    assert f"{before_number('z', len(rated))} {len(rated)} hodnocených" in data.above_national(d, "osoby_v_exekuci")


def test_a_kraj_maps_its_orp_with_shares_of_summed_counts(real_data, workbook):
    d = data.load("kraj:3107", real_data.root)
    assert [a.typ for a in d.map_units] == ["orp"] * 15
    kraj = workbook[workbook["kraj_csu_cis100_kod"] == "3107"].groupby("orp_csu_cis65_kod")
    expected = kraj[13].sum() / kraj[11].sum() * 100  # exekuce over obyvatelé 15+ of every obec of the ORP
    shares = d.unit_shares("osoby_v_exekuci")
    assert sorted(shares.index) == sorted(expected.index)
    assert all(shares[kod] == pytest.approx(expected[kod], rel=1e-12) for kod in expected.index)
    assert d.small_units("osoby_v_exekuci") == {}  # an ORP is never a small base
    table = data.units_table(d).frame  # the document lists the 15 ORP, not the 700 obce (40 landscape pages)
    assert list(table["ORP"]) == [a.nazev for a in d.map_units] and "Index vyloučení (body)" not in table
    assert table.set_index("Kód")["Podíl osob v exekuci (%)"].to_dict() == pytest.approx(expected.to_dict(), rel=1e-12)
    orp = data.load("orp:6105", real_data.root)
    small = {a.kod for a in orp.map_units if orp.base(a, "osoby_v_exekuci") < data.MIN_BASE}
    assert set(orp.small_units("osoby_v_exekuci")) == small and small
    assert orp.unit_shares("osoby_v_exekuci")[sorted(small)].isna().all()


def test_care_sentence_says_what_the_kraj_lacks_without_import_advice():
    def care(*areas: tuple[str, str, str]) -> pd.DataFrame:
        return pd.DataFrame([{"uzemi_typ": typ, "uzemi_kod": kod, "uzemi_nazev": name, "vyber": "SZB09",
                              "obdobi": "2024-12-31", "stupen": "Celkem", "pohlavi": "Celkem", "vek": "Celkem",
                              "hodnota": 374127.0} for typ, kod, name in areas])
    head = Area("kraj", "3018", "Hlavní město Praha", ("554782",))
    cr = ("stat", "CZ", "Česká republika")
    alone = data.care_sentence(types.SimpleNamespace(care=care(cr), head=head))
    assert alone is not None and "uvedena je proto jen Česká republika." in alone and "import" not in alone
    both = data.care_sentence(types.SimpleNamespace(care=care(("kraj", "3018", "Hlavní město Praha"), cr), head=head))
    assert both is not None and "jen Česká republika" not in both and both.endswith("neuvádí.")


def test_an_obec_in_the_file_without_anybody_of_the_base_is_not_called_missing(real_data):
    """Vojenský újezd Boletice is in the index file with 0 inhabitants 15+: its share cannot be computed, but the file
    does not lack it (the sentence said 'některá obec území v souboru chybí')."""
    d = data.load("obec:545422", real_data.root)
    sentence = data.overview(d, next(iter(data.FIGURES)))
    assert "nežijí žádní obyvatelé 15+" in sentence and "chybí" not in sentence


def test_praha_quotes_the_unemployment_its_kraj_publishes(real_data):
    """Praha is obec, okres and kraj at once: the kraj is no comparison area (the same obce), and ČSÚ publishes the
    share for the kraj only, so 'jak ho ČSÚ zveřejňuje' listed ČR alone."""
    from pipeline.core import territory
    from pipeline.warehouse import build as warehouse
    from pipeline.warehouse.obce import load_obce
    with warehouse.connect(real_data) as con:
        obce = load_obce(con)
    praha = territory.resolve("obec:554782", obce)
    units = data._okresy(praha, obce)
    assert [(a.typ, a.nazev) for a in units] == [("okres", "Praha"), ("kraj", "Hlavní město Praha")]
    jihlava = data._okresy(territory.resolve("orp:6105", obce), obce)
    assert [a.typ for a in jihlava] == ["okres"]  # Kraj Vysočina is larger: it is a comparison area already
    kraj, stat = units[1], Area("stat", "CZ", "Česká republika", ())
    ind = pd.DataFrame({"uzemi_typ": ["kraj", "stat"], "uzemi_kod": [kraj.kod, "CZ"], "ukazatel": "podil_nezamestnanych",
                        "obdobi": "2023-12-31", "hodnota": [2.80275, 3.73]})
    d = types.SimpleNamespace(ind=ind, okresy=units, head=praha.area, references=[stat])
    assert data.published_unemployment(d).endswith(": Hlavní město Praha 2,80 % (k 31. 12. 2023), Česká republika "
                                                   "3,73 % (k 31. 12. 2023).")
