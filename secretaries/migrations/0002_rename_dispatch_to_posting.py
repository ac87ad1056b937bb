# A cadre's posting (派驻) was called "dispatch", the word the issues use for 派单. Renamed in place:
# the table, its rows and their ids are kept, and so are the admin permissions granted on it.

from django.conf import settings
from django.db import migrations, models

ACTIONS = ("add", "change", "delete", "view")


def rename_permissions(old: str, new: str):
    # Django renames the content type with the model but not its permissions' codenames: without this
    # a user or group granted "change_dispatch" would silently lose the right, and a stale copy stay.
    def rename(apps, schema_editor):
        Permission = apps.get_model("auth", "Permission")
        ours = Permission.objects.filter(content_type__app_label="secretaries")
        for action in ACTIONS:
            if not ours.filter(codename=f"{action}_{new}").exists():
                ours.filter(codename=f"{action}_{old}").update(codename=f"{action}_{new}", name=f"Can {action} {new}")

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("secretaries", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="dispatch", name="dispatch_end_after_start"),
        migrations.RenameModel(old_name="Dispatch", new_name="Posting"),
        migrations.RunPython(rename_permissions("dispatch", "posting"), rename_permissions("posting", "dispatch")),
        migrations.AlterModelOptions(
            name="posting",
            options={"ordering": ["-start_date"], "verbose_name": "posting", "verbose_name_plural": "postings"},
        ),
        migrations.AlterField(
            "posting",
            "cadre",
            models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="postings", verbose_name="cadre"),
        ),
        migrations.AlterField(
            "posting",
            "enterprise",
            models.ForeignKey("chains.enterprise", models.PROTECT, related_name="postings", verbose_name="enterprise"),
        ),
        migrations.AddConstraint(
            model_name="posting",
            constraint=models.CheckConstraint(
                condition=models.Q(("end_date__isnull", True), ("end_date__gte", models.F("start_date")), _connector="OR"),
                name="posting_end_after_start",
            ),
        ),
    ]
