"""`python -m pipeline.cli …` is `sprss …`."""
from pipeline.cli import app

app(prog_name="sprss")
