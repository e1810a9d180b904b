"""Shared by the registry tests (no tests here): the synthetic MPSV registry, its date and the personal names in it,
the MPSV code lists, and a warehouse with the registry loaded."""
from datetime import date
from pathlib import Path
import re

from builders import FIXTURES, SHARED_REAL, copy_data_dir, synthetic_territory_data_dir
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
# web-API code lists cut down to the items the two registry editions use (official labels; the registry's traps,
# type 99, target group 30 and capacity unit "mista", stay unknown as in the real lists)
CODE_LISTS = [FIXTURES / f"synthetic_mpsv_{name}.json" for name in
              ("druh_socialni_sluzby", "cilova_skupina_osoby", "vekova_skupina_osoby", "forma_soc_sluzby", "typ_kapacity")]


def registry_data(tmp_path_factory, *editions: tuple[Path, date]) -> DataDir:
    """Synthetic territory + the given registry editions + the MPSV code lists (web API) and one open-data list."""
    target = copy_data_dir(synthetic_territory_data_dir(tmp_path_factory), tmp_path_factory.mktemp("katalog") / "data")
    snapshots = [raw.stage(path, reference_date=on) for path, on in editions]
    snapshots += [raw.stage(OPEN_DATA_LIST, reference_date=ON)]
    snapshots += [raw.stage(path) for path in CODE_LISTS]
    warehouse.build(target, snapshots, before_swap=lambda: [raw.write(s, target) for s in snapshots])
    return target


def with_registry(base: DataDir, target: Path, *editions: tuple[Path, date]) -> DataDir:
    """A copy of the data dir `base` (e.g. the real population warehouse) with the given registry editions and the
    MPSV code lists imported on top."""
    data = copy_data_dir(base, target)
    snapshots = [raw.stage(path, reference_date=on) for path, on in editions]
    snapshots += [raw.stage(path) for path in CODE_LISTS]
    warehouse.build(data, snapshots, before_swap=lambda: [raw.write(s, data) for s in snapshots])
    return data
