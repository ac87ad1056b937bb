import io

import pytest
from openpyxl import Workbook

from tests.plumbing import registry  # noqa: F401 - registers the test importer and exporter


def xlsx(*rows) -> io.BytesIO:
    """An .xlsx in memory whose first sheet holds `rows` (the first is the header)."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
