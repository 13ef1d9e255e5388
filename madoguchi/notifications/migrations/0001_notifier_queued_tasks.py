"""Tasks queued before the one notifier (ADR 0030) are rewritten onto it.

A reminder is queued up to weeks ahead (``run_after``), and any mail may be waiting when a
new version is deployed: the task modules they name (notifications.tasks.deliver_booking_mail,
send_booking_reminder, deliver_room_link; applications.tasks.send_notice_link;
portal.tasks.send_login_link) are gone. Each waiting one becomes the notifier's ``deliver``
task with the same ids, so it is sent as it would have been. Finished ones are left alone.
"""

from django.db import migrations

DELIVER = "madoguchi.notifications.tasks.deliver"
WAITING = ("READY", "RUNNING")


def _booking_mail(kw):
    return {"kind": f"booking_{kw['kind']}",
            "about": {"booking": kw["booking_id"], "participant": kw["participant_id"]}}


def _reminder(kw):
    return {"kind": "booking_reminder", "about": {"booking": kw["booking_id"],
                                                  "start": kw["start"]}}


def _room_link(kw):
    return {"kind": "room_link", "about": {"access": kw["access_id"]}, "sealed": kw["sealed"]}


def _notice_link(kw):
    return {"kind": "notice_link", "about": {"notice": kw["notice_id"], "origin": kw["origin"]}}


def _login_link(kw):
    return {"kind": "login_link", "about": {"link": kw["link_id"], "origin": kw["origin"],
                                            "language": kw["language"]}}


OLD = {
    "madoguchi.notifications.tasks.deliver_booking_mail": _booking_mail,
    "madoguchi.notifications.tasks.send_booking_reminder": _reminder,
    "madoguchi.notifications.tasks.deliver_room_link": _room_link,
    "madoguchi.applications.tasks.send_notice_link": _notice_link,
    "madoguchi.portal.tasks.send_login_link": _login_link,
}


def rewrite(apps, schema_editor):
    Task = apps.get_model("django_tasks_database", "DBTaskResult")
    for row in Task.objects.filter(task_path__in=list(OLD), status__in=WAITING):
        kwargs = OLD[row.task_path](row.args_kwargs.get("kwargs", {}))
        row.task_path = DELIVER
        row.args_kwargs = {"args": [], "kwargs": kwargs}
        row.save(update_fields=["task_path", "args_kwargs"])


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
