"""Shared fixtures."""
import pytest

from builders import real_data_dir


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory):
    """DataDir with the real territory, four population publications and the 2020 age tables; read-only."""
    return real_data_dir(tmp_path_factory)
