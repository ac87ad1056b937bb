"""One word for a unit's part of an issue: IssueAssignment becomes IssueShare (table, related name,
constraint and index renamed in place; the rows stay)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("issues", "0002_notification_moved_to_inbox"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="issueassignment", name="assignment_one_live_per_unit"),
        migrations.RenameModel(old_name="IssueAssignment", new_name="IssueShare"),
        migrations.AlterModelOptions(
            name="issueshare", options={"verbose_name": "share", "verbose_name_plural": "shares"}
        ),
        migrations.AlterField(
            model_name="issueshare",
            name="issue",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="shares", to="issues.issue"
            ),
        ),
        migrations.RenameIndex(
            model_name="issueshare", new_name="share_unit_status", old_name="assignment_unit_status"
        ),
        migrations.AddConstraint(
            model_name="issueshare",
            constraint=models.UniqueConstraint(
                condition=Q(status__in=("pending", "signed", "replied")),
                fields=("issue", "unit"),
                name="share_one_live_per_unit",
            ),
        ),
    ]
