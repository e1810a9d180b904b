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
# The chapter "Výhled a potřeba služeb", a jupytext "percent" script like notebooks/demografie.py;
# `sprss report --chapter vyhled` (pipeline/chapters/runner.py) runs it with papermill and exports it.
# Numbers come from pipeline.chapters.vyhled.data (projection, demand, significance; never recomputed here).
uzemi = "orp:6105"  # selektor území (jako --territory) nebo cesta k YAML s vlastním územím
datum = None  # datum RRRR-MM-DD registru služeb, nebo None pro nejnovější vydání registru
data_dir = None  # adresář dat, nebo None pro $SPRSS_DATA_DIR či ./data
out_dir = "reports/orp-jihlava/vyhled"
horizont = None  # rok výhledu, nebo None pro rok registru + 5

# %%
import warnings

warnings.filterwarnings("ignore")  # the page is a document: no library warnings in it

from pipeline.chapters.shared import compared_with
from pipeline.chapters.vyhled import charts, data
from pipeline.core.territory import label, of_area
from pipeline.core.text import czech_date
from pipeline.indicators import vyznamnost
from pipeline.render.document import Study

d = data.load(uzemi, data_dir, datum, int(horizont) if horizont else None)
study = Study(out_dir)
nazev = label(d.head)
nazev_2p = of_area(d.head)  # after 'území': 'obce Pacov', 'Kraje Vysočina'

study.title(f"Výhled a potřeba služeb: {nazev}",
            f"Projekce obyvatel území do roku {d.horizon}, potřeba kapacit sociálních služeb"
            + (f" a srovnání území {compared_with(d.references)}" if compared_with(d.references) else "") + "; zpracováno nástrojem sprss.")
if d.notes:
    study.bullets(d.notes)

# %%
study.chapter("Projekce počtu seniorů")
study.text("ČSÚ projektuje obyvatelstvo jen za ČR a kraje. Projekce území je z ní odvozena: každá obec si ponechává "
           "svůj podíl na každém ročníku narození a ročník stárne podle projekce ČSÚ (metoda v části Zdroje a "
           "metodika). " + data.base_line(d))
fig = charts.seniors(data.senior_series(d), d.inputs.varianta, d.horizon,
                     f"Projektovaný počet obyvatel 65+, 80+ a 85+: {nazev}", d.source())
study.chart(fig, "projekce_senioru", f"Projektovaný počet obyvatel 65+, 80+ a 85+ v území {nazev_2p}", d.source())
t = data.projection_table(d)
study.table(t.frame, "projekce", f"Projektovaný počet obyvatel území {nazev_2p} podle věkových skupin k 1. 1.", t.source,
            t.decimals)
study.bullets(data.outlook_lines(d))

# %%
study.chapter(f"Potřeba kapacit služeb v roce {d.horizon}")
t = data.demand_table(d)
if t.frame.empty:
    study.note("Potřebu kapacit nelze spočítat: " + ("v podkladech analýzy není registr poskytovatelů sociálních služeb MPSV."
               if d.datum is None else f"v území {nazev_2p} není k {czech_date(d.datum)} žádná služba s registrovanou "
               "kapacitou."))
else:
    study.text("Potřeba je dnešní kapacita na 1 000 obyvatel cílové populace (území, kraje, ČR, případně normativ "
               "zadaný analytikem) násobená projektovanou cílovou populací roku výhledu. Rozdíl proti dnešní kapacitě "
               "je mezera: kladná znamená chybějící místa. Při dnešním pokrytí území roste potřeba jen s cílovou "
               "populací; srovnání s pokrytím kraje a ČR ukazuje, kam by se území posunulo při jejich úrovni.")
    study.table(t.frame, "potreba", f"Kapacita dnes a potřeba v roce {d.horizon}: {nazev}", t.source, t.decimals)
    study.bullets(data.demand_lines(d))
m = data.matrix_table(d)
if not m.frame.empty and d.kraj is not None:
    study.section("Potřeba a nabídka v ORP kraje")
    study.text(f"Mezera v roce {d.horizon} při dnešním pokrytí {of_area(d.kraj)} pro služby s věkově vymezenou "
               "cílovou populací (kladná hodnota = chybějící kapacita). Služba s více zařízeními se počítá v každém "
               "ORP, kde má zařízení, s celou kapacitou; součet ORP proto může převýšit kraj.")
    study.table(m.frame, "matice_potreby", f"Mezera kapacit v roce {d.horizon} v ORP {of_area(d.kraj)}", m.source,
                m.decimals)

# %%
srovnani = compared_with(d.references)  # 's krajem a ČR'; 's ČR' for a kraj (or an area that is its kraj); '' for ČR
study.chapter(f"Srovnání {srovnani}".strip())
b = data.benchmark_table(d)
if b.frame.empty:
    study.note("Území nemá srovnávací kraj ani ČR (je to celá ČR), srovnání se nevytváří.")
else:
    study.text("Podíly věkových skupin s 95% intervalem spolehlivosti (Wilsonův interval). Hodnota je vyšší nebo nižší, "
               "leží-li celý interval nad nebo pod hodnotou srovnávacího území; jinak je podobná – rozdíl může být "
               "dán náhodou malých čísel. " + vyznamnost.SUPPRESSION_RULE)
    study.table(b.frame, "srovnani", f"Srovnání území {nazev_2p} {srovnani}".strip(), b.source, b.decimals)
    study.bullets(data.benchmark_lines(d))

# %%
study.chapter("Nejistota výhledu")
study.bullets(data.uncertainty_lines(d))

# %%
study.methods()
study.bullets([
    "Projekce: ČSÚ, Projekce obyvatelstva ČR (DataStat OBY02PT03, kraje OBY02PKT03). Počet obyvatel věku a v roce y "
    "v území je součet přes kontrolní oblasti (kraj s vlastní projekcí ČSÚ, jinak zbytek ČR) projekce oblasti × podíl "
    "obcí území na ročníku narození y − a ve výchozí věkové struktuře. Ročníky narozené po výchozím datu dostávají "
    "podíl obce na obyvatelích 20–39 let v roce narození, násobený jejím výchozím poměrem dětí 0–4 k této skupině. "
    "Pětileté skupiny malých obcí se dělí na jednotlivé roky podle obcí s jednoletými údaji.",
    "Součet všech obcí je přesně projekce ČSÚ pro ČR, kraj s vlastní projekcí ČSÚ je přesně ona a ORP kraje dávají "
    "v součtu kraj.",
    "Potřeba služeb: kapacita na 1 000 obyvatel cílové populace druhu služby (uvedena v tabulce potřeby) × "
    "projektovaná cílová populace roku výhledu. Registrovaná kapacita není počet klientů a nebyla testována na významnost.",
    "Intervaly: podíly Wilsonův interval, míry na 1 000 přesný Poissonův interval (nad 300 událostí Byarova "
    "aproximace). " + vyznamnost.SUPPRESSION_RULE,
])
n = data.normatives_table()
if n.frame.empty:
    study.note("Analytik nezadal žádný normativ kapacit (závazný celostátní normativ neexistuje); potřeba podle "
               "normativu se nepočítá.")
else:
    study.table(n.frame, "normativy", "Normativy kapacit zadané analytikem", n.source, n.decimals)
study.finish();
