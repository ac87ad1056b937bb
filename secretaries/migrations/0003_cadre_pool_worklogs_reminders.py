# Postings grow into §4.5: a cadre pool, postings of three kinds (park chiefs to parks), goals, the
# end and evaluation of a term, work logs and the end-of-term reminders' exactly-once keys.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
        ('chains', '0002_chain_industry_committee'),
        ('secretaries', '0002_rename_dispatch_to_posting'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PostingReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('days_30', '30 days before the end'), ('days_7', '7 days before the end')], max_length=10)),
                ('end_date', models.DateField()),
                ('sweep', models.UUIDField()),
                ('created_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'posting reminder',
                'verbose_name_plural': 'posting reminders',
            },
        ),
        migrations.CreateModel(
            name='WorkLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('visit', 'Visit'), ('policy_briefing', 'Policy briefing'), ('guidance', 'Party-building guidance'), ('problem_raised', 'Problem raised'), ('problem_solved', 'Problem solved')], max_length=20, verbose_name='kind')),
                ('date', models.DateField(verbose_name='date')),
                ('summary', models.TextField(verbose_name='summary')),
                ('members_developed', models.PositiveIntegerField(default=0, verbose_name='new party members developed')),
                ('activists_found', models.PositiveIntegerField(default=0, verbose_name='activists found')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'work log',
                'verbose_name_plural': 'work logs',
                'ordering': ['-date', '-pk'],
            },
        ),
        migrations.AlterModelOptions(
            name='posting',
            options={'ordering': ['-start_date', '-pk'], 'verbose_name': 'posting', 'verbose_name_plural': 'postings'},
        ),
        migrations.AddField(
            model_name='posting',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at'),
        ),
        migrations.AddField(
            model_name='posting',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='posted by'),
        ),
        migrations.AddField(
            model_name='posting',
            name='end_reason',
            field=models.TextField(blank=True, verbose_name='reason for ending'),
        ),
        migrations.AddField(
            model_name='posting',
            name='ended_on',
            field=models.DateField(blank=True, null=True, verbose_name='ended on'),
        ),
        migrations.AddField(
            model_name='posting',
            name='enterprise_opinion',
            field=models.TextField(blank=True, verbose_name="enterprise's opinion"),
        ),
        migrations.AddField(
            model_name='posting',
            name='evaluated_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='evaluated at'),
        ),
        migrations.AddField(
            model_name='posting',
            name='evaluation',
            field=models.TextField(blank=True, verbose_name='evaluation'),
        ),
        migrations.AddField(
            model_name='posting',
            name='goals',
            field=models.TextField(blank=True, verbose_name='goals'),
        ),
        migrations.AddField(
            model_name='posting',
            name='goals_met',
            field=models.CharField(blank=True, choices=[('met', 'Met'), ('partly', 'Partly met'), ('not_met', 'Not met')], max_length=10, verbose_name='goals met'),
        ),
        migrations.AddField(
            model_name='posting',
            name='park',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='chains.park', verbose_name='park'),
        ),
        migrations.AddField(
            model_name='posting',
            name='problems_solved',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='problems solved'),
        ),
        migrations.AlterField(
            model_name='posting',
            name='enterprise',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='chains.enterprise', verbose_name='enterprise'),
        ),
        migrations.AlterField(
            model_name='posting',
            name='kind',
            field=models.CharField(choices=[('first_secretary', 'First secretary'), ('instructor', 'Party-building instructor'), ('park_chief', 'Park chief')], default='first_secretary', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='posting',
            name='status',
            field=models.CharField(choices=[('active', 'Active'), ('ended', 'Ended'), ('evaluated', 'Evaluated')], default='active', max_length=10, verbose_name='status'),
        ),
        migrations.CreateModel(
            name='Cadre',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='name')),
                ('source_kind', models.CharField(choices=[('economic_department', 'Economic department'), ('industry_party_committee', 'Industry party committee'), ('town_street', 'Town / street'), ('state_owned_enterprise', 'State-owned enterprise')], max_length=30, verbose_name='source')),
                ('position', models.CharField(blank=True, max_length=100, verbose_name='position')),
                ('party_member', models.BooleanField(default=True, verbose_name='party member')),
                ('birth_date', models.DateField(blank=True, null=True, verbose_name='date of birth')),
                ('expertise', models.JSONField(blank=True, default=list, verbose_name='expertise')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='phone')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('source_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cadres', to='accounts.unit', verbose_name='source unit')),
                ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cadre', to=settings.AUTH_USER_MODEL, verbose_name='account')),
            ],
            options={
                'verbose_name': 'cadre',
                'verbose_name_plural': 'cadres',
                'ordering': ['name', 'pk'],
            },
        ),
        # The posted person was a user; now a cadre of the pool (who may have an account). The old
        # column is kept as cadre_user until 0004 has made a cadre for each posted user.
        migrations.RenameField(model_name='posting', old_name='cadre', new_name='cadre_user'),
        migrations.AlterField(
            model_name='posting',
            name='cadre_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='posting',
            name='cadre',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='secretaries.cadre', verbose_name='cadre'),
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(fields=['status', 'end_date'], name='posting_status_end_idx'),
        ),
        migrations.AddConstraint(
            model_name='posting',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'park_chief'), ('park__isnull', False), ('enterprise__isnull', True)), models.Q(models.Q(('kind', 'park_chief'), _negated=True), ('enterprise__isnull', False), ('park__isnull', True)), _connector='OR'), name='posting_one_target_by_kind'),
        ),
        migrations.AddConstraint(
            model_name='posting',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active'), ('enterprise__isnull', False)), fields=('enterprise', 'kind'), name='posting_one_active_kind_per_enterprise'),
        ),
        migrations.AddField(
            model_name='postingreminder',
            name='posting',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='secretaries.posting'),
        ),
        migrations.AddField(
            model_name='worklog',
            name='author',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author'),
        ),
        migrations.AddField(
            model_name='worklog',
            name='posting',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='work_logs', to='secretaries.posting', verbose_name='posting'),
        ),
        migrations.AddConstraint(
            model_name='cadre',
            constraint=models.UniqueConstraint(fields=('name', 'source_unit'), name='cadre_unique_name_in_unit'),
        ),
        migrations.AddConstraint(
            model_name='postingreminder',
            constraint=models.UniqueConstraint(fields=('posting', 'kind', 'end_date'), name='posting_reminder_once'),
        ),
        migrations.AddIndex(
            model_name='worklog',
            index=models.Index(fields=['posting', 'date'], name='worklog_posting_date_idx'),
        ),
    ]
