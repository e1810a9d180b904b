"""The chapter notebooks (jupytext percent scripts, one per chapter), installed as package pipeline.notebooks.

They are run by papermill, never imported; the package only lets importlib.resources find them in any install.
"""
