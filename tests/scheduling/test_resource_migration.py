"""Migration 0004 keeps every existing resource: same id (so its allocations, hours and
absences), its kind, and the booth's or user's key in ``owner_id``; and back again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from madoguchi.organisation.models import Booth

BEFORE = [("scheduling", "0003_booking_finished")]
AFTER = [("scheduling", "0004_resources_owner_key")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_resources_keep_their_ids_and_point_to_their_owners(setagaya, make_staff):
    staff = make_staff("section_staff", "setagaya/hoken-fukushi", "migrated")
    booth = Booth.objects.order_by("pk").first()
    try:
        old = migrate(BEFORE)
        Resource = old.get_model("scheduling", "Resource")
        booth_row = Resource.objects.create(kind="booth", booth_id=booth.pk)
        person_row = Resource.objects.create(kind="person", user_id=staff.pk)
        new = migrate(AFTER)
        Resource = new.get_model("scheduling", "Resource")
        assert set(Resource.objects.values_list("pk", "kind", "owner_id")) == {
            (booth_row.pk, "booth", booth.pk), (person_row.pk, "person", staff.pk)}
        old = migrate(BEFORE)
        Resource = old.get_model("scheduling", "Resource")
        assert set(Resource.objects.values_list("pk", "kind", "booth_id", "user_id")) == {
            (booth_row.pk, "booth", booth.pk, None), (person_row.pk, "person", None, staff.pk)}
    finally:
        # Back to every app's latest migration: going back to 0003 also unapplied the
        # later migrations of the apps that depend on scheduling (participation,
        # community, …), and the tests after this one need their tables.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
