# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
# The report "Vyhodnocení plnění plánu", a jupytext "percent" script like notebooks/demografie.py;
# `sprss plan evaluate` (pipeline/cli/plan.py) runs it through pipeline/chapters/runner.py with papermill.
# Cells stay thin: values and states come from pipeline.indicators.plan via pipeline.chapters.plan.data, the same
# evaluation the command writes into the filled workbook; this file holds the Czech text. Everything goes through
# `study`, so studie.docx and tabulky.xlsx mirror the page.
plan = "akcni-plan.xlsx"  # sešit s tabulkou akčního plánu (šablona: sprss plan init)
uzemi = "orp:6105"  # selektor území (jako --territory) nebo cesta k YAML s vlastním územím
datum = None  # datum vyhodnocení RRRR-MM-DD, nebo None pro dnešek
data_dir = None  # adresář dat, nebo None pro $SPRSS_DATA_DIR či ./data
out_dir = "reports/orp-jihlava/vyhodnoceni-planu"

# %%
import warnings

warnings.filterwarnings("ignore")  # the page is a document: no library warnings in it

from pipeline.chapters.plan import charts, data
from pipeline.core.territory import of_area
from pipeline.core.text import czech_date, czech_number
from pipeline.indicators.plan import DONE, NOT_DONE, PARTLY
from pipeline.render.document import Study

d = data.load(plan, uzemi, data_dir, datum)
e = d.evaluation
study = Study(out_dir)
nazev = d.nazev
nazev_2p = of_area(d.evaluation.territory.area)  # after 'území': 'obce Pacov', 'Kraje Vysočina'
k_datu = czech_date(e.datum)
plan_nazev = e.plan.nazev or "Plán rozvoje sociálních služeb"

study.title(f"Vyhodnocení plnění plánu: {nazev}",
            f"{plan_nazev}. Stav k {k_datu}; hodnoty ukazatelů z veřejných dat (ČSÚ, registr poskytovatelů "
            f"sociálních služeb MPSV), tabulka aktivit od zpracovatele plánu.")

# %%
study.chapter("Přehled plnění podle priorit")
study.bullets(data.summary(d))
if d.rows:
    t = data.overview(d)
    study.table(t.frame, "prehled", f"Aktivity plánu podle priority a stavu plnění k {k_datu}", t.source, t.decimals)
else:
    study.note("List Aktivity neobsahuje žádnou aktivitu.")

# %%
study.chapter("Aktivity plánu")
if d.rows:
    t = data.activities(d)
    study.table(t.frame, "aktivity", "Aktivity plánu", t.source, t.decimals)
    study.section("Plnění cílů")
    study.text(f"U aktivit s ukazatelem doplnil sprss skutečnost jako hodnotu území {nazev_2p} k nejbližšímu datu, k němuž "
               "ji podklady analýzy mají (sloupec K datu; údaje registru MPSV z vydání platného k datu vyhodnocení). Kde "
               "zpracovatel stav nevyplnil, určil ho sprss ze směru výchozí → cílová hodnota; takový stav je označen "
               "hvězdičkou (*). Hodnoty a stavy zapsané zpracovatelem plánu (K datu: zpracovatel) jsou převzaty "
               "beze změny.")
    t = data.fulfilment(d)
    study.table(t.frame, "plneni", f"Cíle aktivit a jejich plnění k {k_datu}", t.source, t.decimals)

# %%
study.chapter("Změny sociálních služeb od začátku plánu")
for note in e.notes:
    study.note(note)
if e.changes is not None:
    study.text(data.change_counts(d))
    t = data.changes_by_type(d)
    if t is not None:
        study.table(t.frame, "zmeny_podle_druhu", f"Změny sociálních služeb v území {nazev_2p} podle druhu od "
                    f"{czech_date(e.plan.zacatek)} do {k_datu}", t.source, t.decimals)
    t = data.changes(d)
    if t is not None:
        study.table(t.frame, "zmeny_sluzeb", f"Služby zahájené, ukončené a změněné v území {nazev_2p} od "
                    f"{czech_date(e.plan.zacatek)} do {k_datu}", t.source)
    elif len(e.changes.table):
        study.note(f"Seznam {czech_number(len(e.changes.table))} jednotlivých změn je delší, než se do zprávy hodí; zpráva proto "
                   "uvádí jen jejich počty výše.")

# %%
study.chapter("Vývoj ukazatelů")
codes = data.used_codes(d)
if not codes:
    study.note("Žádná aktivita nemá ukazatel z veřejných dat.")
for code in codes:
    series = data.trend(d, code)
    if series.empty:
        study.note(f"{e.titles[code]}: v podkladech analýzy není pro území {nazev_2p} žádná hodnota.")
        continue
    title = f"{e.titles[code]} – {nazev}"
    fig = charts.trend(series, data.targets(d, code), title, e.units[code], data.source(d, code),
                       data.crossed_breaks(d, code))
    study.chart(fig, code.replace(":", "_"), title, data.source(d, code))
if codes:
    t = data.trend_table(d)
    study.table(t.frame, "vyvoj_ukazatelu", f"Hodnoty ukazatelů plánu pro území {nazev_2p}", t.source, t.decimals)

# %%
study.chapter("Metodika")
study.bullets([
    "Ukazatel je kód z listu Ukazatele šablony: demografický ukazatel, kapacita služby kapacita:<druh>:<forma>:<typ "
    "kapacity> (registrovaná kapacita služeb se zařízením v území) nebo počet služeb sluzby:<druh> (služby se "
    "zařízením v území, každá jednou).",
    "Demografický ukazatel se bere k datu, které je datu vyhodnocení nejbližší (při shodě to dřívější); údaje "
    "registru k datu vyhodnocení z vydání registru platného ten den.",
    "Plnění = (skutečnost − výchozí) / (cílová − výchozí). Plnění 100 % a více: " + DONE + "; více než 0 % a "
    "méně než 100 %: " + PARTLY + " (hodnota se posunula k cíli, ale nedosáhla ho); 0 % a méně: " + NOT_DONE + ".",
    "Bez výchozí nebo cílové hodnoty, nebo je-li cílová rovna výchozí (směr nelze určit), stav sprss neurčí; stavy "
    "zrušeno a průběžně plněno zadává jen zpracovatel plánu.",
    "Změny služeb: srovnání registru MPSV k začátku platnosti plánu a k datu vyhodnocení (služby se zařízením "
    "v území a terénní služby s deklarovanou působností v něm).",
])
study.finish();
