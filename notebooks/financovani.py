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
# The chapter "Financování sociálních služeb obcemi", a jupytext "percent" script like notebooks/demografie.py;
# `sprss report --chapter financovani` (pipeline/chapters/runner.py) runs it with papermill and exports it.
# Numbers come from the financing indicators via pipeline.chapters.financovani.data (selected, never recomputed);
# this file holds the Czech text. Everything goes through `study`, so studie.docx mirrors the page.
uzemi = "orp:6216"  # selektor území (jako --territory) nebo cesta k YAML s vlastním územím
datum = None  # nepoužito: rozpočty jsou za celé roky, kapitola ukazuje všechny roky ve skladu dat
data_dir = None  # adresář dat, nebo None pro $SPRSS_DATA_DIR či ./data
out_dir = "reports/orp-slapanice/financovani"

# %%
import warnings

warnings.filterwarnings("ignore")  # the page is a document: no library warnings in it

from pipeline.chapters.financovani import charts, data
from pipeline.chapters.shared import with_references
from pipeline.core.territory import IN_UNITS, label, of_area
from pipeline.indicators import metadata
from pipeline.render.document import Study

d = data.load(uzemi, data_dir)
study = Study(out_dir)
nazev = label(d.head)
nazev_2p = of_area(d.head)  # after 'území': 'obce Pacov', 'Kraje Vysočina'
rok = d.latest

study.title(f"Financování sociálních služeb obcemi: {nazev}",
            "Podklad pro ekonomickou část plánu rozvoje sociálních služeb. Výdaje obcí na sociální oblast podle "
            "výkazu FIN 2-12 M z Monitoru státní pokladny (Ministerstvo financí); zpracováno nástrojem sprss.")

# %%
study.chapter("Výdaje obcí na sociální oblast")
study.text("Zdrojem je výkaz FIN 2-12 M (plnění rozpočtu územních samosprávných celků), který obce odevzdávají "
           "Ministerstvu financí a který zveřejňuje Monitor státní pokladny. Za sociální oblast se počítají výdaje "
           "v paragrafech 4300–4399 rozpočtové skladby (oddíl 43, sociální služby a společné činnosti v sociálním "
           "zabezpečení); přesné pravidlo je v kapitole Zdroje a metodika.")
study.text(data.coverage_sentence(d))
if rok is None:
    study.note("Bez rozpočtů obcí nelze kapitolu sestavit; další oddíly jsou prázdné.")
else:
    study.bullets(data.findings(d))

# %%
if rok is not None:
    study.chapter("Vývoj v letech")
    t = data.trend(d)
    poznamky = ["Počet obcí s údaji se mezi roky liší: součty za různé roky nejsou srovnatelné."] \
        if t.frame["Obcí s údaji"].nunique() > 1 else []
    fig = charts.trend(t.frame, f"Výdaje obcí území {nazev_2p} na sociální oblast (§ 43xx) podle let", t.source,
                       poznamky)
    study.chart(fig, "vyvoj", f"Výdaje obcí území {nazev_2p} na sociální oblast podle let: skutečnost, schválený "
                "a upravený rozpočet", t.source)
    study.table(t.frame, "vyvoj", f"Výdaje obcí území {nazev_2p} na sociální oblast podle let", t.source, t.decimals)

# %%
if rok is not None and d.units:  # an obec is its own only unit: no table of one row
    # a kraj lists its ORP, ČR its kraje (territory.map_units), as the maps of the other chapters
    v_jednotkach = "v obcích území" if d.by_obce else IN_UNITS.get(d.units[0].typ, "v částech území")
    study.chapter(f"Obce území v roce {rok}" if d.by_obce else f"Výdaje obcí {v_jednotkach} v roce {rok}")
    t = data.by_unit(d, rok)
    study.table(t.frame, "obce" if d.by_obce else "jednotky",
                f"Výdaje obcí {'území' if d.by_obce else v_jednotkach} {nazev_2p} na sociální oblast v roce {rok}",
                t.source, t.decimals)
    rok_obyvatel = d.latest_per_capita
    if rok_obyvatel is not None:
        hodnoty = data.per_capita_by_unit(d, rok_obyvatel)
        fig = charts.per_capita_by_unit(hodnoty, data.reference_lines(d, rok_obyvatel),
                                        f"Výdaje na sociální oblast na obyvatele {v_jednotkach} {nazev_2p}, {rok_obyvatel}",
                                        d.source(data.PER_CAPITA))
        study.chart(fig, "na_obyvatele", f"Výdaje na sociální oblast na obyvatele {v_jednotkach} {nazev_2p} "
                    f"v roce {rok_obyvatel}", d.source(data.PER_CAPITA))
        if rok_obyvatel != rok:
            study.note(f"Graf je za rok {rok_obyvatel}, poslední rok, k jehož 1. 1. je v podkladech analýzy počet obyvatel.")
    else:
        study.note("Výdaje na obyvatele nejsou k dispozici: v podkladech analýzy chybí počet obyvatel k 1. 1. let, za něž "
                   "jsou rozpočty.")

# %%
if rok is not None:
    if d.units:
        study.section("Srovnání s okolím")
    else:
        study.chapter(f"Srovnání s okolím v roce {rok}")
    t = data.comparison(d, rok)
    study.text("Srovnávací území sčítají jen své obce, které mají v podkladech analýzy rozpočet; kolik jich je, uvádí "
               "tabulka. Srovnání má smysl jen tehdy, když údaje má většina obcí srovnávacího území.")
    study.table(t.frame, "srovnani", f"Výdaje na sociální oblast v roce {rok}: {with_references(nazev, d.references)}", t.source,
                t.decimals)
    if d.value(d.head, data.PER_CAPITA, rok) is None:
        study.note(f"Výdaje na obyvatele za rok {rok} tabulka neuvádí: v podkladech analýzy chybí počet obyvatel "
                   f"k 1. 1. {rok}.")

# %%
if rok is not None:
    study.chapter(f"Výdaje podle paragrafů v roce {rok}")
    study.text("Paragraf rozpočtové skladby říká, na jakou činnost obec peníze vydala, např. § 4351 osobní asistence, "
               "pečovatelská služba a podpora samostatného bydlení, § 4357 domovy pro osoby se zdravotním postižením "
               "a domovy se zvláštním režimem, § 4359 ostatní služby a činnosti v oblasti sociální péče.")
    t = data.paragraphs(d, rok)
    study.table(t.frame, "paragrafy", f"Výdaje obcí území {nazev_2p} na sociální oblast podle paragrafů v roce {rok}",
                t.source, t.decimals)

# %%
study.chapter("Co Monitor státní pokladny neobsahuje")
study.text("Výkaz FIN 2-12 M ukazuje jen rozpočet obce. Úplné financování sociálních služeb v území z něj poznat "
           "nelze; chybí zejména:")
study.bullets(data.NOT_IN_MONITOR)

# %%
study.methods()
study.bullets([
    metadata.financing_rule(),
    "Výdaje na obyvatele se vztahují k počtu obyvatel týchž obcí k 1. 1. daného roku (ČSÚ), na obyvatele 65+ "
    "k počtu obyvatel ve věku 65 a více let k 1. 1. (nebo k 31. 12. předchozího roku); chybí-li počet obyvatel "
    "některé obce s údaji, hodnota se nepočítá.",
    "Částky jsou v běžných cenách (bez přepočtu inflací).",
    "Účetní jednotku (IČO) přiřazuje k obci zpracovatel při načtení výkazu (IČO obce nebo seznam IČO s kódy obcí); "
    "rozpočty nepřiřazených IČO se nezapočítávají nikam.",
])
study.finish();
