"""The Celery app of the worker the job tests start: the project's, with the test importer registered."""

import django

django.setup()

from chainparty.celery import app  # noqa: E402
from tests.plumbing import registry  # noqa: E402,F401 - registers the test importer and exporter

__all__ = ["app"]
