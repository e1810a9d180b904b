"""Likely names of natural persons in free text (survey answers), so that they are flagged before publication.

Respondents write "paní Nováková z pečovatelské služby" or "Jana Dvořáková nám pomáhá"; a survey chapter must not
publish that. Two patterns, both needing a capitalised word that follows:
- a common Czech given name in any of its usual case forms (Jana, Janě, Janou; Petr, Petrovi, Petrem) followed by a
  capitalised word (the surname): "Jana Dvořáková", "s Petrem Novákem";
- an address or academic title followed by a capitalised word: "paní Nováková", "pan Novák", "MUDr. Svoboda".
It is a flag, not a proof: a place ("Jana Masaryka" as a street) is flagged too, and a name outside the list without
a title is missed; the analyst reads the flagged answers (README "Personal data").
"""
import re

# the most frequent given names in the Czech Republic (women and men)
GIVEN_NAMES = (
    "Jana Marie Eva Hana Anna Lenka Kateřina Lucie Věra Alena Petra Jaroslava Veronika Martina Ludmila Jitka Helena "
    "Tereza Michaela Zdeňka Ivana Jarmila Monika Zuzana Jiřina Markéta Eliška Marcela Barbora Dana Kristýna Vlasta "
    "Božena Pavla Irena Miroslava Libuše Andrea Klára Iveta Radka Renata Olga Simona Milada Blanka Šárka Nikola "
    "Denisa Karolína Dagmar Marta Drahomíra Romana Stanislava Gabriela Adéla Natálie Vladimíra Zdenka Naděžda "
    "Růžena Danuše Hedvika Bohumila Květoslava Vlastimila Milena Jaroslava Magdaléna Sabina Taťána Soňa "
    "Jiří Jan Petr Josef Pavel Martin Tomáš Jaroslav Miroslav Zdeněk Václav Michal František Jakub Milan Karel Lukáš "
    "David Vladimír Ondřej Ladislav Roman Stanislav Marek Radek Daniel Antonín Vojtěch Filip Adam Matěj Aleš Jaromír "
    "Libor Dominik Patrik Vlastimil Jindřich Miloslav Oldřich Lubomír Rudolf Ivan Luboš Robert Radim Richard "
    "Bohumil Vít Štěpán Matyáš Šimon Dušan Viktor Vratislav Kamil Oto Emil Bohuslav Zbyněk Leoš Igor Bořivoj "
    "Radovan Čestmír Bonifác Vlastislav Hynek Kryštof Sebastián Tobiáš Jonáš"
).split()
# case endings: feminine -a (Jana, Jany, Janě, Janu, Janou), masculine (Petr, Petra, Petrovi, Petrem, Petře)
FEMININE = ("a", "y", "e", "ě", "u", "ou", "o")
MASCULINE = ("", "a", "ovi", "em", "e", "u", "i")


def _forms(name: str) -> set[str]:
    if name.endswith("a"):
        return {name[:-1] + ending for ending in FEMININE}
    if name.endswith(("e", "ie")):  # Marie, Natálie
        return {name, name[:-1] + "i", name + "mi"}
    return {name + ending for ending in MASCULINE}


FORMS = sorted({form for name in GIVEN_NAMES for form in _forms(name)}, key=len, reverse=True)
UPPER = "A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"
LOWER = "a-záčďéěíňóřšťúůýž"
SURNAME = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
# at the start of a sentence too: "Paní Nováková …"
TITLES = (r"(?:[Pp]an|[Pp]ana|[Pp]anu|[Pp]anem|[Pp]aní|[Ss]lečna|[Ss]lečny|[Ss]lečně|[Ss]lečnou|MUDr\.|MVDr\.|Mgr\.|Ing\.|"
          r"Bc\.|PhDr\.|JUDr\.|[Dd]oc\.|[Pp]rof\.)")
GIVEN_THEN_SURNAME = re.compile(rf"\b(?:{'|'.join(FORMS)})\s+{SURNAME}\b")
TITLE_THEN_NAME = re.compile(rf"(?<![{LOWER}{UPPER}]){TITLES}\s+{SURNAME}(?:\s+{SURNAME})?\b")


def likely_names(text: str) -> list[str]:
    """The parts of `text` that look like a person's name, in order: ['paní Nováková', 'Jana Dvořáková']."""
    found = [(m.start(), m.group()) for pattern in (GIVEN_THEN_SURNAME, TITLE_THEN_NAME) for m in pattern.finditer(text)]
    kept: list[tuple[int, str]] = []
    for start, part in sorted(found):
        if kept and start < kept[-1][0] + len(kept[-1][1]):
            continue  # overlaps a longer match already kept
        kept.append((start, part))
    return [part for _, part in kept]


def mask_names(text: str, mark: str = "[jméno skryto]") -> str:
    """`text` with every likely name replaced by `mark`."""
    for part in likely_names(text):
        text = text.replace(part, mark)
    return text
