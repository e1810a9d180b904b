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
# The study notebook, kept as a jupytext "percent" script so that it diffs and reviews like code;
# `sprss report` (pipeline/chapters/runner.py) converts it to .ipynb, runs it with papermill and exports it.
# Cells stay thin: numbers, tables and charts come from pipeline.report; this file holds the Czech text.
# Every heading, paragraph, chart and table goes through `study`, so studie.docx mirrors the page.
uzemi = "orp:6105"  # selektor území (jako --territory) nebo cesta k YAML s vlastním územím
datum = None  # referenční datum RRRR-MM-DD, nebo None pro nejnovější data
data_dir = None  # adresář dat, nebo None pro $SPRSS_DATA_DIR či ./data
out_dir = "reports/orp-jihlava"

# %%
import warnings

warnings.filterwarnings("ignore")  # the page is a document: no library warnings in it

from pipeline.chapters.demografie import change, charts, data, findings, periods, tables
from pipeline.chapters.shared import with_references
from pipeline.core.territory import IN_UNITS, OF_UNITS, UNITS, label, of_area
from pipeline.core.text import before_number, capitalised, czech_iso, czech_join
from pipeline.indicators import metadata, small_bases
from pipeline.render import maps, style
from pipeline.render.document import Study

d = data.load(uzemi, data_dir, datum)
study = Study(out_dir)
nazev = label(d.head)
nazev_2p = of_area(d.head)  # 'území Kraje Vysočina', 'území obce Pacov'
k_poctu = d.latest("obyvatel_celkem")
k_veku = d.latest("podil_65_plus")  # defined wherever anyone lives (the index stáří needs a child)
srovnani = [d.head, *d.references]
casti = OF_UNITS.get(d.units[0].typ, "částí území") if d.units else ""
casti += " a oblastí" if d.oblasti else ""
mapy = d.mapped  # maps colour obce; a kraj its ORP, ČR its kraje (territory.map_units)
jednotky = OF_UNITS.get(d.map_units[0].typ, "částí území") if d.map_units else ""  # 'obcí', 'ORP', 'krajů'
v_jednotkach = IN_UNITS.get(d.map_units[0].typ, "v částech území") if d.map_units else ""

study.title(f"Sociodemografická analýza: {nazev}",
            f"Podklad pro plán rozvoje sociálních služeb. Počet obyvatel k {czech_iso(k_poctu)}, "
            f"věkové složení k {czech_iso(k_veku) if k_veku else '–'}; zdroj dat ČSÚ, zpracováno nástrojem sprss.")

# %%
study.chapter("Vymezení území")
pocet = tables.value(d.ind, d.head, "obyvatel_celkem", k_poctu)
s_obyvateli = f"{before_number('s', pocet)} {style.czech_number(pocet)} obyvateli" if pocet else "bez obyvatel"
rozsah = (f" {s_obyvateli} k {czech_iso(k_poctu)}" if d.head.typ == "obec" else  # not "tvořilo 1 obec"
          f", které k {czech_iso(k_poctu)} tvořilo {findings.obce_count(len(d.territory.obce))} {s_obyvateli}")
study.text(f"Analýza se týká území **{nazev_2p}**{rozsah}. "
           + (f"Srovnávací území uváděná všude vedle něj: {czech_join([label(a) for a in d.references])}."
              if d.references else "Srovnávací území nejsou: analýza se týká celé České republiky."))
if d.oblasti:
    study.text("Pro plánování je území rozděleno do oblastí: "
               + "; ".join(f"{o.nazev} ({findings.obce_count(len(o.obce))})" for o in d.oblasti)
               + ". Oblasti jsou ve všech tabulkách a grafech uvedeny samostatně vedle obcí.")
    mimo = [a.nazev for a in d.obce if not any(a.kod in o.obce for o in d.oblasti)]
    if mimo:
        study.text(f"Pozor: {findings.obce_count(len(mimo))} území nepatří do žádné "
                   f"oblasti, a v součtech oblastí proto chybí: {czech_join(mimo)}.")
sentence = findings.settlement(d.ind, d.head, d.obce, k_poctu)
if sentence:
    study.text(sentence)

# %%
if d.units:
    t = tables.members(d, k_poctu)
    casti_nazev = "Obce území" if d.obce else capitalised(UNITS.get(d.units[0].typ, "části území"))
    obsah = "počet obyvatel a průměrný věk" if tables.column_title("prumerny_vek") in t.frame else "počet obyvatel"
    study.table(t.frame, "obce", f"{casti_nazev} {nazev_2p}: {obsah} k {czech_iso(k_poctu)}",
                t.source, t.decimals)

# %%
k_1_1 = periods.stock_dates(d.ind.loc[(d.ind.ukazatel == "obyvatel_celkem") & d.ind.obdobi.str.endswith("-01-01"),
                                     "obdobi"])
study.chapter("Počet obyvatel a jeho vývoj")
study.text("Počet obyvatel je základní údaj pro odhad potřeby sociálních služeb." + (
           " Časová řada ČSÚ však obsahuje zlomy (změny metodiky), při nichž se počet změnil jen statisticky; tyto "
           "změny nejsou skutečným přírůstkem ani úbytkem obyvatel, a proto jsou v grafu i v textu vyznačeny zvlášť."
           if len(k_1_1) > 1 else ""))
for sentence in findings.population_change(d.ind, d.head, d.breaks_of()):
    study.text(sentence)
for note in d.placement:  # older figures that cannot be placed in today's territory (historic obce, splits)
    study.note(note)
sentence = findings.population_series(d.series, d.ind, d.head)
if sentence:
    study.note(sentence)
if len(k_1_1) > 1:
    fig = charts.population_trend(d.ind, d.head, d.breaks_of())
    study.chart(fig, "vyvoj_obyvatel", f"Vývoj počtu obyvatel území {nazev_2p}", metadata.source_line(["csu_pocet_obyvatel"]))
else:  # one point is no development
    study.note("Vývoj počtu obyvatel nelze ukázat: " + (f"podklady analýzy obsahují počet obyvatel jen k {czech_iso(k_1_1[0])}."
               if k_1_1 else "podklady analýzy neobsahují počet obyvatel k 1. 1. žádného roku."))
if len(k_1_1) > 2:
    fig = charts.population_index(d.ind, srovnani)
    study.chart(fig, "index_vyvoje", f"Vývoj počtu obyvatel {with_references(f'území {nazev_2p}', d.references, True)} "
                "(index prvního roku = 100)",
                metadata.source_line(["csu_pocet_obyvatel"]))
t = tables.population(d)
study.table(t.frame, "vyvoj_obyvatel", f"Počet obyvatel {with_references(f'území {nazev_2p}', d.references, True)}", t.source, t.decimals)
shown = periods.stock_dates(d.ind.loc[d.ind.ukazatel == "obyvatel_celkem", "obdobi"])
breaks = [b for b in metadata.series_breaks() if shown[0] < b.datum <= shown[-1]]
if breaks:
    study.bullets([f"**Zlom k {czech_iso(b.datum)} ({b.popisek}).** {b.vysvetleni}" for b in breaks])
if len(d.local_breaks):
    study.text("Zlomy řady jednotlivých obcí (změny hranic obcí, oddělení obcí), které se nesmí číst jako přírůstek "
               "ani úbytek:")
    study.bullets([f"**{czech_iso(r.datum)} – {r.popisek}.** {r.vysvetleni}"
                   for r in d.local_breaks.drop_duplicates(["datum", "vysvetleni"]).itertuples()])
zmena = d.unit_change() if mapy else None
if zmena:  # the first map: change, never counts (a map of counts only shows where the towns are)
    zdroj_zmeny = d.source(["obyvatel_celkem"], [zmena.start, zmena.end])
    study.section(f"Změna počtu obyvatel podle {jednotky}")
    for sentence in change.change_sentences(zmena):
        study.text(sentence)
    fig = maps.choropleth(zmena.percent, d.shapes, d.outline,
                          title=f"Změna počtu obyvatel {jednotky} {nazev_2p} {zmena.title_period} (%)",
                          legend_title="Změna počtu obyvatel", unit="%", diverging=True, hatched=zmena.hatched,
                          reasons=change.REASONS, missing_label=change.MISSING, source_line=zdroj_zmeny,
                          labels=d.map_labels())
    study.chart(fig, "mapa_zmena_obyvatel", f"Kartogram: změna počtu obyvatel podle {jednotky} {zmena.title_period}",
                zdroj_zmeny)
elif mapy:
    study.note("Mapa změny počtu obyvatel není k dispozici: podklady analýzy nemají dva stavy počtu obyvatel, mezi nimiž "
               "neleží zlom celostátní řady.")
elif len(d.map_units) > 1:
    study.note(f"Mapy {jednotky} nejsou k dispozici: v podkladech chybí hranice {jednotky}.")

# %%
study.chapter("Věková struktura")
if k_veku:
    study.text(f"Věková struktura obyvatel je uvedena k {czech_iso(k_veku)} (nejnovější dostupné věkové složení "
               "obcí). Věková pyramida ukazuje počty mužů a žen v pětiletých skupinách.")
    if d.pyramid_reference:
        study.text(f"Obrys v pyramidě znázorňuje věkovou strukturu území {of_area(d.pyramid_reference)} přepočtenou "
                   "na počet obyvatel analyzovaného území, takže je na první pohled vidět, které věkové skupiny "
                   "jsou v území zastoupeny více či méně.")
    fig = charts.age_pyramid(d.pyramids, d.head, d.pyramid_reference)
    study.chart(fig, "pyramida", f"Věková pyramida území {nazev_2p} k {czech_iso(k_veku)}",
                metadata.source_line(["csu_vekove_slozeni"]))
    fig = charts.age_group_shares(d.ind, srovnani, k_veku)
    study.chart(fig, "vekove_skupiny", f"Podíl věkových skupin: {with_references(nazev, d.references)}, {czech_iso(k_veku)}",
                metadata.source_line(charts.AGE_SHARES))  # as the picture says
    t = tables.age_structure(d, k_veku)
    study.table(t.frame, "vekove_skupiny", f"Věkové složení obyvatel k {czech_iso(k_veku)}", t.source, t.decimals)
    for code in ("podil_65_plus", "podil_80_plus"):
        study.text(findings.compare(d.ind, d.head, d.references, code, k_veku))
    if small_bases.small_among(d.ind, d.obce, k_veku):
        study.note(small_bases.RULE)
elif pocet == 0:  # a military district nobody lives in
    study.note("Území nemá žádné obyvatele, věková struktura se proto neuvádí.")
else:
    study.note("Věkové složení obyvatel území není v podkladech analýzy k dispozici (tabulky věkového složení obcí "
               "ČSÚ), věková struktura se proto neuvádí.")

# %%
if k_veku:
    study.section("Senioři 65+ a 80+ let")
    study.text("Senioři ve věku 65 a více let a zejména 80 a více let jsou hlavní cílovou skupinou "
               "pobytových, terénních i ambulantních služeb sociální péče.")
    trend = findings.seniors_trend(d.ind, d.head)
    study.text(trend or f"Věkové složení je v podkladech analýzy jen k {czech_iso(k_veku)}, vývoj počtu seniorů v čase "
                        "proto ukázat nelze.")
    fig = charts.seniors_over_time(d.ind, d.head)
    study.chart(fig, "seniori", f"Senioři 65+ a 80+ let v území {nazev_2p}: počty a podíly",
                metadata.source_line(["obyvatel_65_plus", "podil_65_plus"]))
    if mapy:
        fig = maps.choropleth(d.unit_values("podil_65_plus", k_veku), d.shapes, d.outline,
                              title=f"Podíl seniorů 65+ let {v_jednotkach} {nazev_2p}, {czech_iso(k_veku)}",
                              legend_title="Podíl seniorů 65+ let", unit="%", hatched=d.small_units(k_veku),
                              source_line=metadata.source_line(["podil_65_plus"]), labels=d.map_labels())
        study.chart(fig, "mapa_podil_65", f"Kartogram: podíl seniorů 65+ let podle {jednotky} k {czech_iso(k_veku)}",
                    metadata.source_line(["podil_65_plus"]))

# %%
study.chapter("Demografické indexy")
if not k_veku:
    study.note("Území nemá žádné obyvatele, indexy se proto nepočítají." if pocet == 0 else
               "Indexy se počítají z věkového složení obyvatel, které zatím není k dispozici.")
else:
    meta = metadata.by_code()
    study.text("Indexy shrnují věkovou strukturu do jednoho čísla a umožňují srovnat obce různé velikosti:")
    study.bullets([f"**{meta[c].nazev}** – {meta[c].vzorec} ({meta[c].jednotka})."
                   for c in ("index_stari", "index_ekonomickeho_zatizeni", "index_zavislosti_senioru")])
    for code in ("index_stari", "index_ekonomickeho_zatizeni", "index_zavislosti_senioru"):
        study.text(findings.compare(d.ind, d.head, d.references, code, k_veku))
    if d.parts:
        lines = list(dict.fromkeys(a for a in (d.head, d.kraj) if a))  # a kraj is its own kraj
        fig = charts.indicator_by_area(d.ind, "index_stari", k_veku, d.parts, reference_lines=lines)
        study.chart(fig, "index_stari", f"Index stáří podle {casti} k {czech_iso(k_veku)}",
                    metadata.source_line(["index_stari"]))
    if mapy:
        fig = maps.choropleth(d.unit_values("index_stari", k_veku), d.shapes, d.outline,
                              title=f"Index stáří {v_jednotkach} {nazev_2p}, {czech_iso(k_veku)}",
                              legend_title="Index stáří", unit=meta["index_stari"].jednotka, hatched=d.small_units(k_veku),
                              source_line=metadata.source_line(["index_stari"]), labels=d.map_labels())
        study.chart(fig, "mapa_index_stari", f"Kartogram: index stáří podle {jednotky} k {czech_iso(k_veku)}",
                    metadata.source_line(["index_stari"]))
    for sentence in (findings.sub_areas(d.ind, d.oblasti, "index_stari", k_veku),
                     findings.above_reference(d.ind, d.obce, d.kraj, "index_stari", k_veku) if d.kraj else None,
                     findings.extremes(d.ind, d.obce, "index_stari", k_veku)):
        if sentence:
            study.text(sentence)
    t = tables.indices(d, k_veku)
    study.table(t.frame, "indexy", f"Demografické indexy k {czech_iso(k_veku)}: "
                + czech_join([nazev, *(["srovnávací území"] if d.references else []),
                                 *([f"členění podle {casti}"] if casti else [])]), t.source, t.decimals)

# %%
study.chapter("Shrnutí")
study.text("Hlavní zjištění (vypočtena automaticky z tabulek výše):")
study.bullets(findings.key_findings(d.ind, d.head, d.oblasti, d.obce, d.references, d.breaks_of()))

# %%
study.methods()
study.text("Všechny ukazatele území, oblastí i srovnávacích území se počítají ze součtů počtů obyvatel jejich "
           "obcí (nikdy průměrováním hodnot obcí). Součet za území se uvádí jen tehdy, má-li údaj každá jeho obec. "
           "Ukazatele, vzorce a zdroje:")
t = tables.methods()
study.table(t.frame, "metodika", "Ukazatele, jejich výpočet a zdroje", t.source)
study.text("Zlomy časové řady počtu obyvatel, které se nesmí vykládat jako skutečný vývoj:")
study.bullets([f"**{czech_iso(b.datum)} – {b.popisek}.** {b.vysvetleni}" for b in metadata.series_breaks()])
t = tables.source_records(d)
study.table(t.frame, "zdroje", "Zdroje dat: vydavatel, oficiální adresa a podmínky užití", t.source)
t = tables.files(d)
study.table(t.frame, "datove_soubory", "Datové soubory, z nichž studie vychází", t.source)
study.finish();
