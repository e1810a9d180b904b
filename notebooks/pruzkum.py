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
# The chapter "Výsledky dotazníkového šetření", a jupytext "percent" script like notebooks/demografie.py;
# `sprss survey report` (pipeline/cli/survey.py) runs it through pipeline/chapters/runner.py with papermill.
# Cells stay thin: tables and charts come from pipeline.chapters.pruzkum.data and .report, whose numbers are those of
# `sprss survey tabulate` unchanged; this file holds the Czech text. Everything goes through `study`, so
# studie.docx and tabulky.xlsx mirror the page. Rejected rows are only counted by reason, never shown.
pruzkum = "obcane"  # název průzkumu, jak byl importován (sprss survey import --name)
uzemi = "orp:6105"  # území průzkumu; sprss survey report ho bere z uloženého průzkumu
vahy = "none"  # none, nebo populace: poststratifikační váhy podle obce (a věku) jako u sprss survey tabulate
datum = None  # render_study ho předává každé kapitole; výsledky průzkumu se k datu nevztahují
data_dir = None  # adresář dat, nebo None pro $SPRSS_DATA_DIR či ./data
out_dir = "reports/orp-jihlava/pruzkum-obcane"

# %%
import warnings

warnings.filterwarnings("ignore")  # the page is a document: no library warnings in it

from pipeline.chapters.pruzkum import charts as report
from pipeline.chapters.pruzkum import data as chapter
from pipeline.core.territory import of_area
from pipeline.core.text import before_number, czech_date, plural
from pipeline.render.document import Study
from pipeline.render.style import czech_number

d = chapter.load(pruzkum, uzemi, data_dir, vahy)
study = Study(out_dir)
nazev = d.title
nazev_2p = of_area(d.territory.area)  # 'území Kraje Vysočina', 'území obce Pacov'
meta = d.survey.meta
vazeno = d.weights is not None
chybi = d.missing_services()
NEJCASTEJSI = 3  # options of the missing-services question charted by age band and by oblast


def tabulka(frame, stem, caption, population=False):
    study.table(frame, stem, caption, d.source(population), report.decimals(frame))


def graf(fig, stem, caption, population=False):
    study.chart(fig, stem, caption, d.source(population))


prvni, posledni = d.period
if prvni is None:
    sber = ""
elif prvni.date() == posledni.date():
    sber = f", odpovědi odeslané {czech_date(prvni)}"
else:
    sber = f", odpovědi odeslané od {czech_date(prvni)} do {czech_date(posledni)}"
study.title(f"Výsledky dotazníkového šetření: {nazev}",
            f"Podklad pro plán rozvoje sociálních služeb. Průzkum {pruzkum} (export {meta['puvodni_nazev']}): "
            f"{plural(int(meta['platnych']), 'respondent', 'respondenti', 'respondentů')}{sber}{'; výsledky vážené podle počtu obyvatel' if vazeno else ''}. "
            "Zpracováno nástrojem sprss.")

# %%
study.chapter("Kdo odpověděl")
study.text(f"Do výsledků vstupují jen platné odpovědi: **{meta['platnych']}** {before_number('z', meta['radku'])} {meta['radku']} řádků exportu. "
           f"Odmítnuté řádky ({meta['odmitnutych']}) a prázdné řádky ({meta['prazdnych']}) se nezapočítávají. "
           "Řádek je odmítnut, pokud nelze určit obec respondenta nebo leží mimo území, chybí odpověď na "
           "povinnou otázku, odpověď neodpovídá dotazníku, nebo jde o opakované odeslání týchž odpovědí.")
tabulka(report.overview(d.survey, d.representativeness), "prehled", f"Přehled odpovědí průzkumu {pruzkum}",
        population=True)
if len(d.rejections):
    study.text("Počty odmítnutých řádků podle důvodu (řádek s více důvody je započten u každého z nich). Seznam "
               "odmítnutých řádků i s odpověďmi zůstává jen u zpracovatele průzkumu, protože obsahuje odpovědi "
               "jednotlivých lidí.")
    tabulka(d.rejections, "odmitnute", "Odmítnuté řádky podle důvodu")

obce = d.representativeness[d.representativeness["skupina_typ"] == "obec"]
s_respondenty = obce[obce["respondentu"] > 0]
if len(s_respondenty):
    pokryti = s_respondenty["obyvatel"].sum() / obce["obyvatel"].sum() * 100
    study.text(f"Odpovídali obyvatelé {czech_number(len(s_respondenty))} {before_number('z', len(obce))} {czech_number(len(obce))} obcí území, v nichž žije "
               f"{czech_number(pokryti, 1)} % obyvatel území. Obce bez respondentů uvádí zpracovatel průzkumu "
               "v tabulce reprezentativnosti.")
    tabulka(report.representation_table(d.representativeness, "obec", answered_only=True), "obce",
            "Obce s respondenty: respondenti a obyvatelé", population=True)
else:
    study.note("Dotazník se neptal na obec bydliště; zastoupení obcí nelze posoudit.")

# %%
study.chapter("Reprezentativnost")
study.text("Dotazník vyplnil, kdo chtěl: respondenti nejsou náhodným výběrem obyvatel a jejich složení se od "
           "složení obyvatel území liší. Srovnání s počty obyvatel ČSÚ ukazuje, které skupiny jsou mezi respondenty "
           "zastoupeny více a které méně. **Index zastoupení** je podíl skupiny mezi respondenty vydělený jejím "
           "podílem mezi obyvateli: 1 znamená zastoupení odpovídající počtu obyvatel, 2 dvojnásobné, 0,5 poloviční. "
           "Výsledky průzkumu vypovídají především o názorech skupin, které jsou zastoupeny dostatečně.")
for druh, co, nadpis in (("vek", "věková skupina", "Věk"), ("oblast", "oblast", "Oblasti")):
    if druh in set(d.representativeness["skupina_typ"]):
        study.section(nadpis)
        graf(report.representation(d.representativeness, druh, pruzkum), f"zastoupeni_{druh}",
             f"Respondenti a obyvatelé území {nazev_2p} podle {report.BY[druh]}", population=True)
        tabulka(report.representation_table(d.representativeness, druh), f"zastoupeni_{druh}",
                f"Respondenti a obyvatelé podle {report.BY[druh]}", population=True)
        veta = chapter.representation_sentence(d.representativeness, druh, co)
        if veta:
            study.text(veta)

study.section("Vážení")
if vazeno:
    vahy_resp = d.weights.table["vaha"]
    study.text(f"Výsledky jsou **váženy podle počtu obyvatel** (poststratifikace, buňky {d.weights.cells}): "
               "každá buňka má ve výsledcích takový podíl, jaký má mezi obyvateli, takže respondent ze skupiny, "
               "která odpovídala méně, váží více. Váhy respondentů jsou od "
               f"{czech_number(vahy_resp.min(), 2)} do {czech_number(vahy_resp.max(), 2)}. Buňky s alespoň jedním "
               f"respondentem pokrývají {czech_number(d.weights.coverage * 100, 1)} % obyvatel území; obyvatelé "
               "ostatních buněk nemají ve výsledcích zástupce. Počty v tabulkách jsou nevážené, podíly a průměry "
               "vážené; intervaly spolehlivosti vycházejí z efektivního počtu respondentů, který je při nerovných "
               "vahách menší než skutečný.")
else:
    study.text("Výsledky nejsou váženy: každý respondent má stejnou váhu. Liší-li se zastoupení skupin výrazně, "
               "lze výsledky převážit podle počtu obyvatel obcí (a věku).")

# %%
study.chapter("Výsledky podle otázek")
study.text("U každé otázky je uveden podíl respondentů, kteří na ni odpověděli (kdo otázku přeskočil, se nepočítá), "
           "s **95% intervalem spolehlivosti**. Interval ukazuje nejistotu danou počtem odpovědí: při několika "
           "desítkách odpovědí je široký i desítky procentních bodů a rozdíl dvou možností, jejichž intervaly se "
           "překrývají, není prokázaný. Interval nezahrnuje zkreslení z toho, kdo se průzkumu zúčastnil "
           "(viz Reprezentativnost). U otázek, kde lze zvolit více možností, je součet podílů vyšší než 100 %.")
for otazka in d.questions("single", "multi"):
    if otazka == chybi:
        continue
    text = d.survey.question(otazka)["text"]
    study.section(text)
    graf(report.shares(d.answers, otazka, pruzkum), otazka, text)
    tabulka(report.question_table(d.answers, otazka), otazka, f"{text} (odpovědi v %)")

if d.questions("likert"):
    study.section("Hodnocení na škále")
    study.text("Podíly a průměr jsou bez odpovědí typu „nevím“; jejich podíl ze všech odpovědí na otázku je uveden "
               "u otázky v grafu i v tabulce. Průměr je počítán z hodnot, které škále přiřazuje kódovník dotazníku "
               "(vyšší hodnota = kladnější odpověď).")
    for skala in d.likert_scales():
        nadpis = d.survey.question(skala[0])["text"] if len(skala) == 1 else "Hodnocení na škále"
        graf(report.likert(d.answers, skala, pruzkum, nadpis), f"skala_{skala[0]}", nadpis)
        for otazka in skala:
            text = d.survey.question(otazka)["text"]
            tabulka(report.question_table(d.answers, otazka), otazka, f"{text} (odpovědi v %)")
    tabulka(report.means(d.answers, d.questions("likert")), "prumery", "Průměrné hodnocení na škále")

if d.questions("number"):
    study.section("Číselné odpovědi")
    cisla = report.means(d.answers, d.questions("number"))
    study.bullets([f"{r['Otázka']} Průměr **{czech_number(r['Průměr'], 2)}** (95% interval "
                   f"{czech_number(r['Průměr od (95% interval)'], 2)}–"
                   f"{czech_number(r['Průměr do (95% interval)'], 2)}), n = {r['Odpovědělo']}."
                   for _, r in cisla.iterrows()])
    tabulka(cisla, "cisla", "Číselné odpovědi: průměr a 95% interval")

# %%
if chybi:
    text = d.survey.question(chybi)["text"]
    study.chapter("Chybějící služby")
    study.text(f"Otázka „{text}“ ukazuje, které služby respondenti v místě bydliště postrádají. Pořadí je podle "
               "podílu respondentů, kteří službu uvedli. Jde o názor obyvatel, ne o zjištěný nedostatek: zda služba "
               "v území skutečně chybí, ukáže srovnání s kapitolou Analýza nabídky sociálních služeb (registr MPSV).")
    graf(report.shares(d.answers, chybi, pruzkum), "chybejici_sluzby", f"Chybějící služby: {text}")
    tabulka(report.ranking(d.answers, chybi), "chybejici_sluzby", "Pořadí chybějících služeb (podíly v %)")
    jine = d.free_text[d.free_text["otazka"] == chybi]
    if len(jine):  # a table, never Markdown: the page must not interpret what respondents wrote
        tabulka(chapter.published_answers(jine), "chybejici_jine",
                "Chybějící služby uvedené v odpovědi „Jiné“ (doslova)")

# %%
skupiny = [(druh, tabulka_skupin) for druh, tabulka_skupin in (("vek", d.by_age), ("oblast", d.by_oblast))
           if tabulka_skupin is not None]
if skupiny:
    study.chapter("Rozdíly podle věku a oblastí" if len(skupiny) == 2 else
                  "Rozdíly podle věku" if skupiny[0][0] == "vek" else "Rozdíly podle oblastí")
    study.text("Skupiny respondentů jsou malé, a intervaly spolehlivosti proto široké: rozdíl mezi skupinami je "
               "průkazný teprve tehdy, když se jejich intervaly nepřekrývají. Počet respondentů skupiny (n) je "
               "uveden u každé skupiny.")
    for druh, tab in skupiny:
        study.section(f"Podle {report.BY[druh]}")
        if chybi:
            for moznost in d.top_options(chybi, NEJCASTEJSI):
                graf(report.by_group(tab, chybi, moznost, pruzkum), f"chybi_{druh}",
                     f"Chybějící služba „{moznost}“ podle {report.BY[druh]}")
        for otazka in d.questions("single", "multi"):
            tabulka(report.breakdown(tab, otazka), f"{druh}_{otazka}",
                    f"{d.survey.question(otazka)['text']} Podíly v % podle {report.BY[druh]}")
        if d.questions("likert"):
            tabulka(report.means(tab, d.questions("likert")), f"{druh}_prumery",
                    f"Průměrné hodnocení na škále podle {report.BY[druh]}")

# %%
volne = d.free_text[d.free_text["otazka"] != chybi]
if len(volne):
    study.chapter("Volné odpovědi")
    skryte = int((d.free_text["mozna_jmena"] != "").sum())
    study.text("Odpovědi jsou uvedeny doslova, v pořadí řádků exportu"
               + (f"; v {plural(skryte, 'odpovědi', 'odpovědích', 'odpovědích')} je to, co vypadá jako jméno osoby, "
                  "nahrazeno značkou [jméno skryto] (původní znění ukáže sprss survey tabulate --table volne)"
                  if skryte else "") + ". Před zveřejněním zkontrolujte, zda neobsahují jména nebo jiné údaje, "
               "podle nichž lze pisatele poznat.")
    for otazka, odpovedi in volne.groupby("otazka", sort=False):
        text = odpovedi["otazka_text"].iloc[0]
        jine = odpovedi["moznost"].eq("Jiné").all()
        study.section(f"{text} (odpověď „Jiné“)" if jine else text)
        tabulka(chapter.published_answers(odpovedi), f"volne_{otazka}",
                f"Volné odpovědi: {text}")

# %%
study.methods()
study.bullets([
    f"Export dotazníku {meta['puvodni_nazev']} (importován {czech_date(meta['importovano'])}), kódovník "
    f"{meta['kodovnik']}; území {nazev_2p}. Každý řádek exportu byl ověřen: obec musí ležet v území (velikost písmen, "
    "mezery a diakritika nerozhodují, překlepy se neopravují), povinné otázky musí být zodpovězeny, odpovědi musí "
    "odpovídat kódovníku a opakované odeslání týchž odpovědí v krátkém čase se počítá jednou.",
    "Podíl je počet respondentů, kteří možnost zvolili, dělený počtem respondentů, kteří na otázku odpověděli; "
    "u otázek s více odpověďmi jde o podíl respondentů, ne odpovědí.",
    "95% interval spolehlivosti podílu je Wilsonův interval, který je spolehlivý i při malém počtu odpovědí "
    "a u podílů blízkých 0 nebo 100 %. Interval průměru je průměr ± 1,96 směrodatné chyby.",
    "Likertovy škály: podíly a průměr bez odpovědí typu „nevím“; průměr z hodnot kódovníku.",
    ("Vážení: poststratifikace podle počtu obyvatel (buňky " + d.weights.cells + "), průměrná váha 1; intervaly "
     "z Kishova efektivního počtu respondentů." if vazeno else
     "Vážení: nepoužito, každý respondent má váhu 1."),
    "Reprezentativnost a vážení: počty obyvatel obcí ČSÚ"
    + (f" k {czech_date(d.population_date)}" if d.population_date else "")
    + (f", věkové složení obcí k {czech_date(d.ages_date)}; obyvatelé pětiletých skupin jsou rozděleni do věkových "
       "pásem dotazníku podle počtu společných let věku" if d.ages_date else "") + ".",
    "Tabulky sešitu Excel jsou shodné s tabulkami této kapitoly" + (" (vážené)" if vazeno else "") + ".",
])
study.finish();
