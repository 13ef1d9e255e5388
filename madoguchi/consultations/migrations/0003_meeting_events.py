"""Video call events on the consultation timeline: six kinds, a participant kind, and no
staff actor when a resident or an outside participant acted (through a one-time link).

The table is append-only (0002): on SQLite Django rebuilds it for these changes, which drops
its trigger, so the trigger is re-created (core.migration_sql.append_only_rebuilt).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from madoguchi.core.migration_sql import append_only_rebuilt


class Migration(migrations.Migration):

    dependencies = [
        ('consultations', '0002_append_only'),
        ('organisation', '0001_initial'),
        ('scheduling', '0002_allocation_exclusion'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = append_only_rebuilt(["consultations_consultationevent"], [
        migrations.AddField(
            model_name='consultationevent',
            name='participant_kind',
            field=models.CharField(blank=True, choices=[('resident', '区民'), ('staff', '職員'), ('guest', '外部の参加者')], max_length=12, verbose_name='参加者の種類'),
        ),
        migrations.AlterField(
            model_name='consultationevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='職員'),
        ),
        migrations.AlterField(
            model_name='consultationevent',
            name='kind',
            field=models.CharField(choices=[('intake', '受付'), ('route', '回付'), ('book', '予約'), ('reschedule', '予約の変更'), ('cancel', '取消'), ('outcome', '対応結果の記録'), ('followup', 'フォローアップの登録'), ('followup_done', 'フォローアップの完了'), ('meeting_join', 'ビデオ通話に参加'), ('meeting_admit', '入室を許可'), ('meeting_refuse', '入室を断った'), ('meeting_remove', '退出させた'), ('meeting_leave', '退出'), ('meeting_end', '通話を終了')], max_length=16, verbose_name='種類'),
        ),
        migrations.AddConstraint(
            model_name='consultationevent',
            constraint=models.CheckConstraint(condition=models.Q(('actor__isnull', False), ('participant_kind__in', ['resident', 'guest']), _connector='OR'), name='consultation_event_actor_or_link_participant'),
        ),
    ])
