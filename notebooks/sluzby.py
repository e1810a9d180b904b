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
# The chapter "Analýza nabídky sociálních služeb", a jupytext "percent" script like notebooks/demografie.py;
# `sprss report --chapter sluzby` (pipeline/chapters/runner.py) runs it with papermill and exports it.
# Cells stay thin: numbers come from the services layer via pipeline.chapters.sluzby.data (selected, never
# recomputed); this file holds the Czech text. Everything goes through `study`, so studie.docx mirrors the page.
uzemi = "orp:6105"  # selektor území (jako --territory) nebo cesta k YAML s vlastním územím
datum = None  # datum RRRR-MM-DD, k němuž se služby počítají, nebo None pro den nejnovějšího vydání registru
data_dir = None  # adresář dat, nebo None pro $SPRSS_DATA_DIR či ./data
out_dir = "reports/orp-jihlava/sluzby"

# %%
import warnings

warnings.filterwarnings("ignore")  # the page is a document: no library warnings in it

from pipeline.chapters.shared import with_references
from pipeline.chapters.sluzby import charts, data
from pipeline.core.territory import IN_UNITS, OF_UNITS, label, of_area
from pipeline.core.text import czech_date
from pipeline.render.document import Study

d = data.load(uzemi, data_dir, datum)
study = Study(out_dir)
nazev = label(d.head)
nazev_2p = of_area(d.head)  # 'území Kraje Vysočina', 'území obce Pacov'
k_datu = czech_date(d.datum)
mapy = len(d.shapes_obce) > 1 and len(d.territory.obce) > 1

study.title(f"Analýza nabídky sociálních služeb: {nazev}",
            f"Podklad pro plán rozvoje sociálních služeb. Služby v poskytování k {k_datu} podle registru poskytovatelů "
            f"sociálních služeb MPSV (stav k {czech_date(d.registr_k)}); zpracováno nástrojem sprss.")

# %%
study.chapter("Registrované sociální služby v území")
study.text("Zdrojem je registr poskytovatelů sociálních služeb MPSV. Služba se do území počítá, pokud je k datu "
           "v poskytování ona sama i alespoň jedno její zařízení a toto zařízení leží v některé obci území. Terénní "
           "služby sídlící jinde, které v registru uvádějí působnost v obcích území, jsou v katalogu a v mapě "
           "dostupnosti uvedeny zvlášť; do počtů a kapacit území se nezapočítávají.")
study.text(data.overview(d))
if d.notes:
    study.text("Upozornění k údajům registru:")
    study.bullets(d.notes)

# %%
study.chapter("Služby podle druhu a formy")
counts = data.by_type_and_form(d)
if counts.empty:
    study.note(f"V území není k {k_datu} v poskytování žádná služba se zařízením v jeho obcích.")
else:
    study.text("Kapacita je registrovaná maximální kapacita služby v jednotce, kterou registr pro danou formu uvádí "
               "(lůžka, klienti, kontakty, intervence, hovory). Kapacity v různých jednotkách se nikdy nesčítají. "
               "Služba s více zařízeními v území se počítá jednou, s celou registrovanou kapacitou.")
    fig = charts.services_by_type(counts, f"Sociální služby se zařízením v území {nazev_2p} podle druhu a formy, {k_datu}",
                                  d.source())
    study.chart(fig, "druhy_formy", f"Sociální služby se zařízením v území {nazev_2p} podle druhu a formy k {k_datu}",
                d.source())
    t = data.supply(d)
    study.table(t.frame, "druhy_formy", f"Služby se zařízením v území {nazev_2p} podle druhu, formy a jednotky kapacity "
                f"k {k_datu}", t.source, t.decimals)

# %%
study.chapter("Kapacita na 1 000 obyvatel cílové populace")
study.text("Kapacita na 1 000 obyvatel cílové populace umožňuje srovnat území různé velikosti. Cílovou populaci "
           "druhu služby určuje nastavení analýzy (tabulka v kapitole Zdroje a metodika): např. lůžka domovů pro "
           "seniory se vztahují k obyvatelům 80+, pečovatelská služba k obyvatelům 65+. Srovnávací území (ORP, kraj, "
           "ČR) jsou počítána stejně, ze služeb se zařízením v jejich obcích."
           + (f" Počty obyvatel jsou k datu nejbližšímu stavu registru: {data.population_dates(d)}."
              if data.population_dates(d) else ""))
rows = data.per_1000_rows(d)
if rows.empty:
    study.note("V území ani ve srovnávacích územích není služba druhu s vlastní cílovou populací; srovnání je "
               "jen v tabulce.")
else:
    labels = [label(a) for a in d.comparison]
    fig = charts.capacity_per_1000(rows, d.comparison, labels,
                                   f"Kapacita na 1 000 obyvatel cílové populace: {nazev}{' a srovnání' if d.references else ''}, {k_datu}",
                                   d.source(population=True))
    study.chart(fig, "kapacita_na_1000", "Kapacita vybraných služeb na 1 000 obyvatel cílové populace: "
                + with_references(nazev, d.references), d.source(population=True))
    study.bullets(data.per_1000_lines(d))
t = data.per_1000(d)
if len(t.frame):
    study.table(t.frame, "kapacita_na_1000", f"Kapacita na 1 000 obyvatel cílové populace k {k_datu}: {nazev} a srovnání",
                t.source, t.decimals)

# %%
study.chapter("Rozmístění služeb v území")
obce_sluzeb = data.facilities_by_obec(d)
jednotky = d.map_units[0].typ if d.map_units else "obec"  # a kraj maps its ORP, ČR its kraje (territory.map_units)
v_jednotkach, jednotek = IN_UNITS.get(jednotky, "v obcích"), OF_UNITS.get(jednotky, "obcí")
if len(d.shapes_units) > 1 and len(obce_sluzeb):
    poznamky = (["Zařízení jsou zakreslena uvnitř obce, kde leží (registr neuvádí souřadnice); šedé obce nemají "
                 "žádné zařízení."] if jednotky == "obec" else
                [f"Kruh ukazuje součet zařízení v obcích {'ORP' if jednotky == 'orp' else 'kraje'} (registr "
                 f"neuvádí souřadnice); {'ORP' if jednotky == 'orp' else 'kraj'} bez kruhu nemá žádné zařízení."])
    fig = charts.facility_map(d.shapes_units, d.map_outline,
                              data.facilities_by_unit(d),
                              title=f"Zařízení sociálních služeb {v_jednotkach} {nazev_2p}, {k_datu}",
                              source=d.source(), notes=poznamky, units=jednotek,
                              legend_title=f"Počet zařízení\n{'v obci' if jednotky == 'obec' else v_jednotkach}")
    study.chart(fig, "mapa_zarizeni", f"Zařízení sociálních služeb {v_jednotkach} {nazev_2p} k {k_datu}", d.source())
elif len(d.map_units) > 1:
    study.note(f"Mapa není k dispozici: v podkladech chybí hranice {jednotek}.")
if len(obce_sluzeb):
    t = data.facilities_table(d)
    study.table(t.frame, "obce_se_zarizenim" if data.by_obce(d) else "zarizeni_podle_jednotek",
                f"Obce území {nazev_2p} se zařízeními sociálních služeb k {k_datu}" if data.by_obce(d) else
                f"Zařízení sociálních služeb {v_jednotkach} {nazev_2p} k {k_datu}", t.source, t.decimals)

typy = data.gap_types(d)
if typy:
    study.section("Obce bez vybraných služeb")
    study.text("Pro vybrané druhy služeb, které lidé potřebují v místě bydliště, ukazuje mapa, zda má obec zařízení "
               "služby, zda do ní podle registru zasahuje terénní služba s deklarovanou působností (pro ORP, okres "
               "nebo obec), nebo zda v ní služba chybí. Působnost je údaj poskytovatele; zda služba do obce skutečně "
               "dojíždí, registr neuvádí.")
    study.bullets([data.gap_sentence(d, kod, jmeno) for kod, jmeno in typy])
    if mapy:
        fig = charts.gap_map(d.shapes_obce, d.outline, [(jmeno, data.gap_categories(d, kod)) for kod, jmeno in typy],
                             title=f"Dostupnost vybraných sociálních služeb v obcích území {nazev_2p}, {k_datu}",
                             source=d.source(), notes=["Působnost: terénní služba uvádí v registru, že obsluhuje ORP, "
                                                       "okres nebo obec; zda dojíždí do každé obce, registr neříká."])
        study.chart(fig, "mapa_dostupnosti", f"Dostupnost vybraných sociálních služeb v obcích území {nazev_2p} k {k_datu}",
                    d.source())
    t = data.gaps_table(d, typy)
    study.table(t.frame, "dostupnost_v_obcich",
                f"Dostupnost vybraných sociálních služeb v obcích území {nazev_2p} k {k_datu}" if data.by_obce(d) else
                f"Obce bez vybraných sociálních služeb {v_jednotkach} {nazev_2p} k {k_datu}", t.source, t.decimals)
else:
    study.note(f"Žádný z vybraných druhů ({', '.join(data.KEY_TYPES.values())}) nemá k datu v registru zařízení "
               "v žádné obci ČR; mapa dostupnosti se nevykresluje.")

# %%
study.chapter("Katalog služeb")
study.text("Přehled služeb podle druhu; úplný katalog s adresami, kontakty a cílovými skupinami je samostatným "
           "výstupem (Excel, Word nebo stránka s vyhledáváním, která funguje i bez internetu).")
if len(d.entries):
    t = data.summary(d)
    study.table(t.frame, "katalog_souhrn", f"Služby v území {nazev_2p} podle druhu k {k_datu}", t.source, t.decimals)
    t = data.services_list(d)
    study.table(t.frame, "katalog_sluzeb", f"Seznam služeb území {nazev_2p} k {k_datu}", t.source, t.decimals)
else:
    study.note("Katalog je prázdný.")

# %%
study.methods()
study.bullets([
    f"Registr poskytovatelů sociálních služeb MPSV ve stavu k {czech_date(d.registr_k)}; služby v poskytování "
    f"k {k_datu}. Počítá se služba, která je k datu v poskytování a má v poskytování i alespoň jedno zařízení; "
    "opakované záznamy téhož zařízení se počítají jednou.",
    "Kapacita je registrovaná maximální kapacita podle formy a jednotky; skutečný počet klientů může být nižší.",
    "Zařízení bez obce nebo s neznámým kódem obce se nezapočítávají do žádného území (viz upozornění výše).",
    "Počty obyvatel cílové populace: ČSÚ, součty za obce území k datu nejbližšímu stavu registru, k němuž mají "
    "údaj všechny obce" + (f" ({data.population_dates(d)})" if data.population_dates(d) else "") + ".",
    "Jména osob (statutární orgány, kontaktní osoby) registr obsahuje, ale sprss je nenačítá ani nezveřejňuje.",
])
t = data.targets_table()
study.table(t.frame, "cilove_populace", "Cílová populace druhů služeb a důvod volby", t.source)
study.finish();
