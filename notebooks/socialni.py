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
# The chapter "Sociálně-ekonomická situace", a jupytext "percent" script like notebooks/demografie.py;
# `sprss report --chapter socialni` (pipeline/chapters/runner.py) runs it with papermill and exports it.
# Numbers come from pipeline.indicators.socialni via pipeline.chapters.socialni.data (selected, never recomputed).
uzemi = "orp:6105"  # selektor území (jako --territory) nebo cesta k YAML s vlastním územím
datum = None  # datum RRRR-MM-DD, nebo None pro nejnovější údaje
data_dir = None  # adresář dat, nebo None pro $SPRSS_DATA_DIR či ./data
out_dir = "reports/orp-jihlava/socialni"

# %%
import warnings

warnings.filterwarnings("ignore")  # the page is a document: no library warnings in it

from pipeline.chapters.shared import with_references
from pipeline.chapters.socialni import charts, data
from pipeline.core.territory import IN_UNITS, OF_UNITS, UNITS, label, of_area
from pipeline.core.text import czech_iso
from pipeline.indicators import metadata
from pipeline.render import maps
from pipeline.render.document import Study

d = data.load(uzemi, data_dir, datum)
study = Study(out_dir)
nazev = label(d.head)
k_datu = czech_iso(d.obdobi)
mapy = d.mapped  # maps colour obce; a kraj its ORP, ČR its kraje (territory.map_units)
jednotky = OF_UNITS.get(d.map_units[0].typ, "částí území") if d.map_units else ""  # 'obcí', 'ORP', 'krajů'
v_jednotkach = IN_UNITS.get(d.map_units[0].typ, "v částech území") if d.map_units else ""

study.title(f"Sociálně-ekonomická situace: {nazev}",
            "Podklad pro plán rozvoje sociálních služeb. Exekuce, příspěvky na bydlení a na živobytí, nezaměstnanost "
            f"a bytová nouze v obcích (údaje k {k_datu}, není-li uvedeno jinak); zpracováno nástrojem sprss.")

# %%
if d.has("osoby_v_exekuci"):  # the figures of the index table (exekuce, dávky, dlouhodobí uchazeči)
    study.chapter("Přehled a srovnání s ČR" if d.head.typ != "stat" else "Přehled")
    study.text("Podíly jsou počty osob vztažené k obyvatelům 15+ (uchazeči o zaměstnání k obyvatelům 15–64 let) ze "
               "stejného souboru a k témuž datu. Za území se nejdřív sečtou počty a základy všech jeho obcí a teprve pak "
               "se dělí. Lokalizační kvocient je podíl v území dělený podílem v ČR: hodnota 2 znamená dvojnásobek "
               "celostátního podílu.")
    for figure in data.FIGURES:
        study.text(data.overview(d, figure))
    fig = charts.shares_by_area(d)
    study.chart(fig, "podily_srovnani", f"Sociálně-ekonomické ukazatele: {with_references(nazev, d.references)} k {k_datu}", d.source())
    t = data.comparison_table(d)
    study.table(t.frame, "srovnani", f"Počty, podíly a lokalizační kvocienty: {with_references(nazev, d.references)} k {k_datu}",
                t.source, t.decimals)

    if len(d.obce) > 1:
        study.chapter("Obce území" if jednotky == "obcí" else f"Obce a {UNITS[d.map_units[0].typ]} území")
        study.text(f"Podíl obce se neuvádí, má-li základ méně než {data.MIN_BASE} osob (obyvatel 15+, u uchazečů "
                   f"15–64 let): jediná osoba by podíl změnila o víc než procentní bod a mohla by být rozpoznatelná. "
                   "Počty se uvádějí vždy; do součtů za území se započítávají všechny obce.")
        for figure in data.FIGURES:
            sentence = data.above_national(d, figure)
            if sentence:
                study.text(sentence)
        sentence = data.index_sentence(d)
        if sentence:
            study.text(sentence)
        if mapy:
            for figure, (share, _, _) in data.FIGURES.items():
                meta = metadata.by_code()[share]
                fig = maps.choropleth(d.unit_shares(figure), d.shapes, d.outline,
                                      title=f"{meta.nazev} {v_jednotkach} {of_area(d.head)}, {k_datu}",
                                      legend_title=meta.nazev, unit="%", decimals=1, source_line=d.source(),
                                      hatched=d.small_units(figure),
                                      labels={a.kod: a.nazev for a in d.map_units if a.typ != "obec"})
                study.chart(fig, f"mapa_{share}", f"Kartogram: {meta.nazev[0].lower()}{meta.nazev[1:]} podle {jednotky} k {k_datu}", d.source())
        else:
            study.note(f"Mapy nejsou k dispozici: v podkladech analýzy chybí hranice {jednotky} území.")
        t = data.units_table(d)
        study.table(t.frame, "obce" if jednotky == "obcí" else "jednotky",
                    f"Sociálně-ekonomické ukazatele {jednotky} {of_area(d.head)} k {k_datu}", t.source, t.decimals)
    else:
        sentence = data.index_sentence(d)
        if sentence:
            study.text(sentence)

# %%
trend = data.unemployment_trend(d)
zverejneno = data.published_unemployment(d)
if len(trend) or zverejneno:
    study.chapter("Nezaměstnanost")
    if len(trend):
        study.text(data.unemployment_sentence(d))
    if zverejneno:
        study.text(zverejneno)
    study.text("Dosažitelní uchazeči jsou uchazeči o zaměstnání ve věku 15–64 let, kteří mohou ihned nastoupit do "
               "práce, ke konci měsíce. Podíl nezaměstnaných za obec je zveřejněný podíl ČSÚ; za území se nepočítá, "
               "protože soubor neuvádí jeho základ (obyvatele 15–64 let).")
    if len(trend) > 1:
        study.chart(charts.unemployment_trend(d), "uchazeci_vyvoj",
                    f"Dosažitelní uchazeči o zaměstnání 15–64 let v území {of_area(d.head)} podle měsíců",
                    metadata.source_line(["dosazitelni_uchazeci"]))

# %%
pece = data.care_tables(d)
if pece:
    study.chapter("Příspěvek na péči")
    study.text(data.care_sentence(d))
    for caption, t in pece:
        study.table(t.frame, "prispevek_na_peci", caption, t.source, t.decimals)

# %%
t = data.facilities_table(d)
if t is not None:
    study.chapter("Zařízení sociálních služeb podle ČSÚ")
    study.text("Počty zařízení sociálních služeb podle statistiky ČSÚ (DataStat, výběr SZB07C) za celá SO ORP; kraj a "
               "ČR jsou součty jejich ORP. Slouží ke kontrole vedle registru poskytovatelů MPSV (kapitola Analýza "
               "nabídky sociálních služeb): ČSÚ počítá zařízení podle svého výkaznictví a druhů zařízení, registr "
               "služby a místa jejich poskytování, proto se počty nemusejí shodovat.")
    study.table(t.frame, "zarizeni_csu", f"Zařízení sociálních služeb podle druhu (ČSÚ): {with_references(nazev, d.references)}",
                t.source, t.decimals)

# %%
t = data.housing_table(d)
if t is not None:
    study.chapter("Bytová nouze")
    study.text(data.housing_sentence(d))
    study.table(t.frame, "bytova_nouze", f"Bytová nouze: {with_references(nazev, d.references)}", t.source, t.decimals)

# %%
study.methods()
study.bullets(([text for _, _, text in data.FIGURES.values()] + [
    "Index sociálního vyloučení (0–30 bodů) je zveřejněný údaj obce podle metodiky Lang, Matoušek (2020); sprss ho "
    "nepřepočítává a za větší území ho neuvádí.",
    "Lokalizační kvocienty zveřejněné v souboru indexu se nepřebírají: jejich srovnávací hodnota není podíl ČR "
    "(je jiná pro každý kraj a nevychází ze součtů téhož souboru); sprss je počítá proti ČR ze stejného souboru.",
    "Základy podílů jsou ověřeny proti počtům obyvatel ČSÚ ke stejnému okamžiku; soubor s odchylkou nad 2 % "
    "(a nad 5 osob) by nebyl použit."] if d.has("osoby_v_exekuci") else []) + [
    *(["Dosažitelní uchazeči: otevřená data ČSÚ o uchazečích o zaměstnání podle obcí (datová sada 250169), stav "
       "na konci měsíce; uchazeči mimo evidenci úřadu práce v údaji nejsou."] if len(trend) else []),
    *(["Bytová nouze: soubory uvádějí jen názvy ORP a počty; jak byly počty zjištěny a co přesně zahrnují, "
        "neuvádějí. Počty se nesrovnávají s ostatními údaji kapitoly, které jsou z jiného roku."]
      if not d.housing.empty else []),
    *data.series_break_notes(d),
])
study.finish();
