from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Email alerts for people without an account: subscribing to the weekly digest with an email
    address (double opt-in) and watching one recommendation or report. Depends on
    ``recommendations`` and ``responses``; they never import it (it listens to their history)."""

    name = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from . import signals

        signals.connect()
