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
# The chapter "Pohyb obyvatelstva", a jupytext "percent" script like notebooks/demografie.py; `sprss report --chapter
# pohyb` (pipeline/chapters/runner.py) runs it with papermill and exports it. Numbers come from
# pipeline.indicators.pohyb through pipeline.chapters.pohyb.data (selected, never recomputed); this file holds the
# Czech text. Everything goes through `study`, so studie.docx mirrors the page.
uzemi = "orp:6105"  # selektor území (jako --territory) nebo cesta k YAML s vlastním územím
datum = None  # poslední rok RRRR-12-31, nebo None pro všechny roky ve skladu dat
data_dir = None  # adresář dat, nebo None pro $SPRSS_DATA_DIR či ./data
out_dir = "reports/orp-jihlava/pohyb"

# %%
import warnings

warnings.filterwarnings("ignore")  # the page is a document: no library warnings in it

from pipeline.chapters.pohyb import charts, data, findings, tables
from pipeline.chapters.shared import compared_with, with_references
from pipeline.core.territory import IN_UNITS, label, of_area, of_obce
from pipeline.indicators import metadata
from pipeline.render.document import Study

d = data.load(uzemi, data_dir, datum)
study = Study(out_dir)
nazev = label(d.head)
nazev_2p = of_area(d.head)  # after 'území': 'obce Pacov', 'Kraje Vysočina'
roky = d.years()
obdobi = f"{roky[0][:4]}–{roky[-1][:4]}" if len(roky) > 1 else (roky[0][:4] if roky else "")

study.title(f"Pohyb obyvatelstva: {nazev}",
            f"Podklad pro plán rozvoje sociálních služeb. Živě narození, zemřelí a stěhování za "
            f"{'roky' if len(roky) > 1 else 'rok'} {obdobi or '–'}; "
            "zdroj dat ČSÚ (otevřená data 130141 Pohyb obyvatel), zpracováno nástrojem sprss.")

# %%
study.chapter("Přirozená měna a stěhování")
study.text("Počet obyvatel se mění narozením a úmrtím (přirozená měna) a stěhováním. Údaje jsou za kalendářní rok; "
           "míry se vztahují k 1 000 obyvatel středního stavu (k 1. 7.). Za ORP, okres, kraj a ČR se uvádějí počty "
           "přistěhovalých a vystěhovalých zveřejněné ČSÚ za celé území: stěhování mezi obcemi téhož území není jeho "
           "migrací, proto nejsou součtem obcí.")
if d.gross_note:
    study.note(d.gross_note)
if not roky:
    study.note(f"Za území {nazev_2p} nejsou v podkladech analýzy údaje o pohybu obyvatel za žádný celý rok (chybí údaje některé jeho obce).")
else:
    own = d.of(d.head)
    study.text(findings.year_sentence(own[own.obdobi == roky[-1]].iloc[0], d.head))
    total = d.sum_of(d.head)
    if total is not None and total["roku"] > 1:
        study.text(findings.five_years(total, d.head))
    fig = charts.paired_bars(own, d.head, ("zive_narozeni", "zemreli"), "Živě narození a zemřelí")
    study.chart(fig, "narozeni_zemreli", f"Živě narození a zemřelí v území {nazev_2p}", metadata.source_line(["csu_opendata"]))
    if own["pristehovali"].notna().any():
        fig = charts.paired_bars(own, d.head, ("pristehovali", "vystehovali"), "Přistěhovalí a vystěhovalí")
        study.chart(fig, "stehovani", f"Přistěhovalí a vystěhovalí v území {nazev_2p}",
                    metadata.source_line(["csu_opendata"]))
    fig = charts.increase(own, d.head)
    study.chart(fig, "prirustek", f"Přirozený přírůstek, přírůstek stěhováním a celkový přírůstek v území {nazev_2p}",
                metadata.source_line(["csu_opendata"]))
    t = tables.yearly(own)
    study.table(t.frame, "pohyb_roky", f"Pohyb obyvatel v území {nazev_2p} podle let", t.source, t.decimals)

# %%
srovnani_s = compared_with(d.references, ("orp", "okres", "kraj", "stat"))  # '' for ČR
study.chapter(f"Míry ve srovnání {srovnani_s}" if srovnani_s else "Hrubé míry pohybu obyvatel")
srovnani = [d.head, *d.references]
if roky:
    for code, name in (("mira_prirozeneho_prirustku", "Hrubá míra přirozeného přírůstku"),
                       ("mira_migracniho_salda", "Hrubá míra migračního salda"),
                       ("mira_celkoveho_prirustku", "Hrubá míra celkového přírůstku")):
        sentence = findings.rate_comparison(d.ind, srovnani, code, name, roky[-1])
        if sentence:
            study.text(sentence)
    fig = charts.rates(d.ind, srovnani, "mira_celkoveho_prirustku")
    study.chart(fig, "mira_celkoveho_prirustku", f"Hrubá míra celkového přírůstku: {with_references(nazev, d.references)}",
                metadata.source_line(["mira_celkoveho_prirustku"]))
    t = tables.rates(d.ind, srovnani, roky[-1])
    study.table(t.frame, "miry", f"Hrubé míry pohybu obyvatel v roce {roky[-1][:4]} (na 1 000 obyvatel)", t.source,
                t.decimals)

# %%
if d.units:
    obce = of_obce(d.units)
    v_jednotkach = IN_UNITS.get(d.units[0].typ, "v částech území")  # 'v obcích', 'v ORP', 'v krajích'
    study.chapter(f"Pohyb obyvatel {v_jednotkach}")
    study.text(("U malých obcí se počty v jednotlivých letech mění náhodně, proto tabulka" if obce else "Tabulka")
               + " uvádí součty za posledních (nejvýš) pět let s úplnými údaji a průměrné roční míry z těchto součtů.")
    sentence = findings.small_obce(d.sums, data.SMALL_OBEC)
    if sentence:
        study.text(sentence)
    t = tables.five_year(d.sums, [d.head, *d.units])
    study.table(t.frame, "pohyb_obce" if obce else "pohyb_jednotky",
                f"Pohyb obyvatel {v_jednotkach} {'území ' if obce else ''}{nazev_2p}: součty a průměrné roční míry",
                t.source, t.decimals)
study.finish();
