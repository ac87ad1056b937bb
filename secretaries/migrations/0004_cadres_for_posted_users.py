# Each user posted before the cadre pool existed becomes a cadre of it (named as the account, from
# the account's unit), and their postings point at that cadre.

from django.db import migrations

SOURCE_KINDS = {"economic_department", "industry_party_committee", "town_street", "state_owned_enterprise"}
PLACEHOLDER_UNIT = "（来源单位待补充）"


def forwards(apps, schema_editor):
    Posting = apps.get_model("secretaries", "Posting")
    Cadre = apps.get_model("secretaries", "Cadre")
    User = apps.get_model("accounts", "User")
    Unit = apps.get_model("accounts", "Unit")
    for user_id in Posting.objects.values_list("cadre_user_id", flat=True).distinct():
        user = User.objects.get(pk=user_id)
        unit = user.unit if user.unit_id else Unit.objects.get_or_create(name=PLACEHOLDER_UNIT)[0]
        kind = unit.kind if unit.kind in SOURCE_KINDS else "economic_department"
        cadre = Cadre.objects.filter(user_id=user_id).first() or Cadre.objects.create(
            name=(user.full_name or user.username)[:50], source_kind=kind, source_unit=unit, phone=user.phone, user=user
        )
        Posting.objects.filter(cadre_user_id=user_id).update(cadre=cadre)


def backwards(apps, schema_editor):
    Posting = apps.get_model("secretaries", "Posting")
    for posting in Posting.objects.select_related("cadre").exclude(cadre__user__isnull=True):
        Posting.objects.filter(pk=posting.pk).update(cadre_user_id=posting.cadre.user_id)


class Migration(migrations.Migration):
    dependencies = [("secretaries", "0003_cadre_pool_worklogs_reminders")]

    operations = [migrations.RunPython(forwards, backwards)]
