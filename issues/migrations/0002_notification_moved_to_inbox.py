"""Notifications moved to the inbox app, whose rows point at any object (content type and id).
Each row is copied with its id, its issue becoming the target; then the issues table goes.
Backwards, the rows about issues (and those about nothing) come back; rows about other objects
cannot, and are left behind."""

from django.core.management.color import no_style
from django.db import migrations

COLUMNS = "recipient_id, subject, body, read_at, email_due, emailed_at, created_at"


def _issue_type(apps):
    content_type = apps.get_model("contenttypes", "ContentType")
    return content_type.objects.get_or_create(app_label="issues", model="issue")[0].pk


def _reset_sequence(schema_editor, model):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def copy_to_inbox(apps, schema_editor):
    old, new = apps.get_model("issues", "Notification"), apps.get_model("inbox", "Notification")
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"INSERT INTO {quote(new._meta.db_table)} (id, target_type_id, target_id, {COLUMNS}) "
        f"SELECT id, CASE WHEN issue_id IS NULL THEN NULL ELSE %s END, issue_id, {COLUMNS} "
        f"FROM {quote(old._meta.db_table)}",
        [_issue_type(apps)],
    )
    _reset_sequence(schema_editor, new)


def copy_back(apps, schema_editor):
    old, new = apps.get_model("issues", "Notification"), apps.get_model("inbox", "Notification")
    quote = schema_editor.quote_name
    about_issues = "WHERE target_type_id = %s OR target_type_id IS NULL"
    issue_type = _issue_type(apps)
    schema_editor.execute(
        f"INSERT INTO {quote(old._meta.db_table)} (id, issue_id, {COLUMNS}) "
        f"SELECT id, target_id, {COLUMNS} FROM {quote(new._meta.db_table)} {about_issues}",
        [issue_type],
    )
    # Moved, not copied: migrating forwards again must find them only in the issues table.
    schema_editor.execute(f"DELETE FROM {quote(new._meta.db_table)} {about_issues}", [issue_type])
    _reset_sequence(schema_editor, old)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("inbox", "0001_initial"),
        ("issues", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_inbox, copy_back),
        migrations.DeleteModel(name="Notification"),
    ]
