from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [("secretaries", "0004_cadres_for_posted_users")]

    operations = [
        migrations.RemoveField(model_name="posting", name="cadre_user"),
        migrations.AlterField(
            model_name="posting",
            name="cadre",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="postings",
                to="secretaries.cadre",
                verbose_name="cadre",
            ),
        ),
    ]
