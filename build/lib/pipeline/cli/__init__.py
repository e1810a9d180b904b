"""The `sprss` command line (entry point `pipeline.cli:app`); nothing outside pipeline/cli imports it."""
from pipeline.cli.main import app

__all__ = ["app"]
