from tests.issues.conftest import calendar_2026, categories  # noqa: F401 - the issue fixtures, shared
