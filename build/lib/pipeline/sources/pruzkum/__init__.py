"""Needs surveys: codebook, readers of the exports, inference of a codebook, validation of the answers."""
from pipeline.sources.base import NOT_STATED, SourceMeta

# A survey's snapshot is a folder (export, codebook, territory), data/raw/pruzkum/<name>/; it has no official URL.
META = SourceMeta(
    id="pruzkum",
    title="Dotazníkové šetření",
    publisher="zadavatel šetření",
    citation="dotazníkové šetření",
    licence=NOT_STATED,
    reference_date="Šetření referenční datum nemá: uchovává se den a čas importu exportu.",
)
