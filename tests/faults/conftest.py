import pytest

from .servers import Postgres, Redis


@pytest.fixture
def own_postgres():
    server = Postgres()
    yield server
    server.destroy()


@pytest.fixture
def own_redis():
    server = Redis()
    yield server
    server.destroy()
