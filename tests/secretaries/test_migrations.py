"""The migration that made postings point at the cadre pool (0003–0005): each user posted before it
becomes a cadre with their account, and their postings follow."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("secretaries", "0002_rename_dispatch_to_posting")]


def test_posted_users_become_cadres_with_their_postings():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    # The models as the database has them now: every app at its latest but secretaries at 0002.
    old = executor._create_project_state(with_applied_migrations=True).apps
    Unit = old.get_model("accounts", "Unit")
    User = old.get_model("accounts", "User")
    Enterprise = old.get_model("chains", "Enterprise")
    Posting = old.get_model("secretaries", "Posting")
    unit = Unit.objects.create(name="迁移测试单位", kind="town_street")
    user = User.objects.create(username="old_secretary", full_name="老书记", unit=unit, phone="13800000000")
    enterprise = Enterprise.objects.create(name="迁移测试企业", credit_code="91440101MA5XXXXXX1", size_class="small")
    Posting.objects.create(cadre=user, enterprise=enterprise, start_date=date(2025, 1, 1), kind="instructor")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)
    new = executor.loader.project_state(latest).apps
    Cadre = new.get_model("secretaries", "Cadre")
    cadre = Cadre.objects.get(user_id=user.pk)
    assert (cadre.name, cadre.source_unit_id, cadre.source_kind, cadre.phone) == (
        "老书记",
        unit.pk,
        "town_street",
        "13800000000",
    )
    posting = new.get_model("secretaries", "Posting").objects.get(enterprise_id=enterprise.pk)
    assert (posting.cadre_id, posting.kind, posting.status) == (cadre.pk, "instructor", "active")
