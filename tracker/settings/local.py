"""Local development: the embedded defaults (SQLite, filesystem broker, email to files), DEBUG on.

SECRET_KEY may come from the environment; otherwise one is generated once into var/secret_key,
so no secret is ever committed and none is shared between machines.
"""

import secrets

from .base import *  # noqa: F401,F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)


def _local_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default=None) or _local_secret_key()
