"""Needs surveys (analýza potřeb): questionnaire exports in, validated long-form answers and tabulations out.

A survey is a snapshot folder data/raw/pruzkum/<name>/ (the export as it came, its codebook, pruzkum.json);
the warehouse build re-validates every snapshot with the same code as the import (store.load_surveys).
"""
