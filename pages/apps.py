from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The public site: lists, detail pages, search, exports, feeds and the dashboard (with its
    stored figures). Reads recommendations and responses; neither imports it."""

    name = "pages"
    verbose_name = "Public pages"

    def ready(self):
        from responses import tasks

        from . import figures, pages

        figures.connect()  # the dashboard's stored counts, kept current on every write
        if pages.after_daily_flags not in tasks.AFTER_DAILY_FLAGS:
            tasks.AFTER_DAILY_FLAGS.append(pages.after_daily_flags)
