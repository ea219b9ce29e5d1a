from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    """Official responses, commitments, consultations and their submissions."""

    name = "responses"
    verbose_name = "Responses and commitments"
