"""The test database's URL, for tests that run a real `manage.py` process against it."""

from django.db import connection


def database_url() -> str:
    """The URL of the test database as this process uses it (after setup, NAME is the test's)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    assert connection.vendor == "postgresql"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
