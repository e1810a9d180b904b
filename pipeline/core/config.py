"""Where sprss keeps its data: `--data-dir`, else $SPRSS_DATA_DIR, else ./data."""
from dataclasses import dataclass
import os
from pathlib import Path


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def warehouse(self) -> Path:
        return self.processed / "sprss.duckdb"

    @property
    def fetch_cache(self) -> Path:
        return self.raw / ".fetch-cache.json"


def data_dir(explicit: Path | str | None = None) -> DataDir:
    chosen = explicit or os.environ.get("SPRSS_DATA_DIR") or "data"
    return DataDir(Path(chosen).expanduser().resolve())


def author() -> str:
    """The author of published documents: $SPRSS_AUTOR (the analyst's office), else the tool that wrote them."""
    return os.environ.get("SPRSS_AUTOR", "").strip() or "zpracováno nástrojem sprss"
