"""How a recommendation is named in exports, bulk edits and history: ``<report slug>/<number>``."""


def recommendation_id(report_slug: str, number: int) -> str:
    return f"{report_slug}/{number}"
