import pytest


@pytest.fixture
def one_host_test_at_a_time():
    from core.tests import hosts

    with hosts.one_at_a_time():
        yield
