import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.workers import ROOT


@pytest.mark.parametrize("value", ["2026-13-01T10:00", "tomorrow", "2026-02-30T09:00:00+08:00"])
def test_the_sweep_command_names_a_bad_instant_without_a_traceback(db, value):
    with pytest.raises(CommandError, match="--at"):
        call_command("sweep_deadlines", "--at", value)


def test_mail_settings_come_from_the_environment():
    code = "from django.conf import settings as s; print(s.EMAIL_FILE_PATH, s.EMAIL_TIMEOUT, s.EMAIL_USE_SSL)"
    env = {"DJANGO_SETTINGS_MODULE": "chainparty.settings", "DEBUG": "1", "PATH": "/usr/bin:/bin"}
    env |= {"EMAIL_FILE_PATH": "/tmp/cp-mail", "EMAIL_TIMEOUT": "3", "EMAIL_USE_SSL": "1"}
    shown = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.split() == ["/tmp/cp-mail", "3", "True"]
    env["EMAIL_USE_TLS"] = "1"
    both = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert both.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL" in both.stderr
