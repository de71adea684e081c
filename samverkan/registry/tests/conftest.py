import pytest

from samverkan.registry.demo import load_demo


@pytest.fixture
def registry_demo_data(db):
    load_demo()
