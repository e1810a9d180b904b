"""Shared fixtures."""
import pytest

from builders import real_data_dir
from pipeline.core import territory
from pipeline.warehouse import build as warehouse
from pipeline.warehouse.obce import load_obce


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory):
    """DataDir with the real territory, four population publications and the 2020 age tables; read-only."""
    return real_data_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def con(data):
    """Read-only connection to the module's `data` warehouse."""
    with warehouse.connect(data) as connection:
        yield connection


@pytest.fixture(scope="module")
def orp(con):
    """ORP Jihlava (6105), the territory of the synthetic fixtures."""
    return territory.resolve("orp:6105", load_obce(con))
