"""The job pages in the permission matrix (tests/matrix.py). The job is district staff's own."""

from chainparty.models import Job, JobKind
from tests.matrix import page

ONLY_STAFF_JOB = dict.fromkeys(("leader_a", "handler_a", "chief_a", "secretary_a", "contact_a", "contact_b"), 404)


def objects(world):
    import tests.plumbing.registry  # noqa: F401 - registers the "tests.units" importer and exporter

    return {"job": Job.objects.create(owner=world.staff, kind=JobKind.EXPORT, name="tests.units")}


def _job(world, o):
    return {"pk": o.job.pk}


ROUTES = {
    "jobs:job-detail": page(kwargs=_job, **ONLY_STAFF_JOB),
    "jobs:job-status": page(kwargs=_job, **ONLY_STAFF_JOB),
    # an export's job: "import now" sends staff back to its page; nothing to download yet
    "jobs:job-confirm": page(kwargs=_job, method="post", staff=302, **ONLY_STAFF_JOB),
    "jobs:job-download": page(kwargs=_job, staff=404, **ONLY_STAFF_JOB),
    "jobs:import": page(ok=["staff"], kwargs=lambda w, o: {"name": "tests.units"}),
    "jobs:import-template": page(ok=["staff"], kwargs=lambda w, o: {"name": "tests.units"}),
    "jobs:export": page(ok=["staff"], kwargs=lambda w, o: {"name": "tests.units"}, method="post"),
}
