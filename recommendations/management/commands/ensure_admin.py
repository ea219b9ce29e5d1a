"""Create the first admin account with a generated password, printed once.

There is no default password anywhere: if a superuser already exists this does nothing and says
how to reset a forgotten password.
"""

import secrets

from django.contrib.auth import get_user_model

from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = "Create an 'admin' superuser with a generated password (printed once) if none exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@localhost")

    def handle(self, *args, username: str, email: str, **options):
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            self.stdout.write(
                "An admin account already exists. Forgotten its password? "
                f"Run: .venv/bin/python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(18)
        users.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS("Created the admin account. Its password is shown only this once:"))
        self.stdout.write(
            f"  username: {username}\n  password: {password}\n"
            "  sign in at http://127.0.0.1:8000/accounts/login/ then work at http://127.0.0.1:8000/manage/"
        )
