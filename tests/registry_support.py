"""Shared by the registry tests (no tests here): the synthetic MPSV registry, its date and the personal names in it,
the MPSV code lists, and a warehouse with the registry loaded."""
from datetime import date
from pathlib import Path
import re

from builders import FIXTURES, SHARED_REAL, copy_data_dir, real, territory_data_dir
from pipeline.core.config import DataDir
from pipeline.raw import snapshots as raw
from pipeline.warehouse import build as warehouse

FIXTURE = FIXTURES / "synthetic_rpss_jihlava.json"
ON = date(2025, 6, 30)
# statutory bodies and a contact note of the fixture: none may appear anywhere after parsing
PERSONAL_NAMES = ["Bohumila", "Přeučilová", "Radovan", "Vlkovický", "Libuše", "Strakošová", "Květoslava", "Nepomucká",
                  "Čestmír", "Hrabalík", "Ludmila", "Kratochvílová", "Šebková", "Bonifác", "Ďurčanský", "Zbyněk",
                  "Pištělák", "Jarmila", "Vondrušková", "Hedvika", "Šmolíková", "Bořivoj", "Kudrnáček", "Jaroslava",
                  "Zlámalová"]
NAMES = re.compile("|".join(PERSONAL_NAMES + ["Vlastimila", "Kopečkov"]))  # + the second edition's

SUPPORT = SHARED_REAL / "mpsv" / "urbantadeas__BCThesis_Chatbot" / "Support"
OPEN_DATA_LIST = FIXTURES / "synthetic_mpsv_ciselnik_formy.json"
CODE_LISTS = ["druh_socialni_sluzby_data.json", "cilova_skupina_osoby_data.json", "vekova_skupina_osoby_data.json",
              "forma_soc_sluzby_data.json", "typ_kapacity_data.json"]


def registry_data(tmp_path_factory, *editions: tuple[Path, date]) -> DataDir:
    """Real territory + the given registry editions + the real MPSV code lists (web API) and one open-data list."""
    target = copy_data_dir(territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("katalog") / "data")
    snapshots = [raw.stage(path, reference_date=on) for path, on in editions]
    snapshots += [raw.stage(OPEN_DATA_LIST, reference_date=ON)]
    snapshots += [raw.stage(real(SUPPORT / name)) for name in CODE_LISTS]
    warehouse.build(target, snapshots, before_swap=lambda: [raw.write(s, target) for s in snapshots])
    return target
