"""`sprss import EXTRACT --obec KOD`: the IČO of a one-municipality Monitor extract placed to its obec.

The placement is stored as its own snapshot (source prirazeni_ico, beside the extract's date), so that every
rebuild from data/raw places the IČO again.
"""
from pathlib import PurePath

from pipeline.core.errors import SprssError
from pipeline.raw.snapshots import Snapshot, stage_content
from pipeline.sources import mf_finm, prirazeni_ico


def placements(snapshots: list[Snapshot], obec_kod: str) -> list[Snapshot]:
    """One placement per Monitor extract among `snapshots` (other files of the same import are left alone)."""
    extracts = [s for s in snapshots if s.source_id == mf_finm.META.id]
    if not extracts:
        raise SprssError("Volba --obec přiřazuje obci extrakt Monitoru státní pokladny (FIN 2-12 M), ale žádný "
                         "z importovaných souborů jím není.")
    return [_placement(s, obec_kod) for s in extracts]


def _placement(snapshot: Snapshot, obec_kod: str) -> Snapshot:
    icos = sorted(set(snapshot.parsed.tables[mf_finm.TABLE]["ico"]))
    if len(icos) != 1:
        shown = ", ".join(icos[:5]) + (f" a další {len(icos) - 5}" if len(icos) > 5 else "")
        raise SprssError(f"Soubor {snapshot.name}: obsahuje {len(icos)} IČO ({shown}); volba --obec přiřazuje jen "
                         "extrakt jedné obce — pro více obcí importujte soubor se záhlavím ico;obec_kod.")
    name = f"{PurePath(snapshot.name).stem}.prirazeni.csv"
    return stage_content(prirazeni_ico.render({icos[0]: obec_kod}), name, prirazeni_ico.META.id,
                         snapshot.parsed.reference_date)
