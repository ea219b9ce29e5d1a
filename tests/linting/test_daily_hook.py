"""The daily flag run reaches the public pages through a hook that pages registers (pages/apps.py)."""

from pages.pages import after_daily_flags
from responses import tasks


def test_the_pages_app_hooks_into_the_daily_flag_run_once():
    assert tasks.AFTER_DAILY_FLAGS.count(after_daily_flags) == 1
