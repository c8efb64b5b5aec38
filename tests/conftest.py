import pytest

from devboard.models import User
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with no kept pages (devboard/pagecache.py keeps them in this process's memory)."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture
def alice(db) -> User:
    """The owner: a resident who fills in worksheets and keeps a board."""
    return make_user("alice", first_name="Alice", last_name="Ames")


@pytest.fixture
def charlie(db) -> User:
    """A stranger: signed in, but owns nothing of Alice's."""
    return make_user("charlie", first_name="Charlie", last_name="Cole")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def charlie_client(client, charlie):
    client.force_login(charlie)
    return client
