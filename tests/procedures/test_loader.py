"""`manage.py load_procedures`: idempotent, never overwrites a published version, never
overwrites an administrator's work."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from madoguchi.procedures import services
from madoguchi.procedures.loader import DATA_DIR
from madoguchi.procedures.models import Origin, Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db


def load(directory=DATA_DIR) -> str:
    out = StringIO()
    call_command("load_procedures", dir=directory, verbosity=2, stdout=out)
    return out.getvalue()


@pytest.fixture
def data_dir(tmp_path):
    """A copy of the seed the test may change."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_first_load_publishes_version_1_of_each(setagaya):
    output = load()
    assert "procedures: created 12" in output
    assert Procedure.objects.filter(current__number=1).count() == 12
    assert set(ProcedureVersion.objects.values_list("origin", flat=True)) == {Origin.FILE}
    assert all(v.published_by is None and v.published_at
               for v in ProcedureVersion.objects.all())


def test_loading_twice_changes_nothing(setagaya):
    load()
    before = list(ProcedureVersion.objects.values_list("pk", "digest", "published_at"))
    assert "procedures: unchanged 12" in load()
    assert list(ProcedureVersion.objects.values_list("pk", "digest", "published_at")) == before


def test_a_changed_file_makes_a_new_published_version(setagaya, data_dir):
    load(data_dir)
    v1 = Procedure.objects.get(code="jumin-hyo").current
    path = data_dir / "jumin-hyo.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "processing_days: 0", "processing_days: 1"), encoding="utf-8")
    output = load(data_dir)
    assert "jumin-hyo: updated (v2)" in output
    current = Procedure.objects.get(code="jumin-hyo").current
    assert (current.number, current.processing_days) == (2, 1)
    v1.refresh_from_db()
    assert v1.processing_days == 0
    assert "jumin-hyo: unchanged (v2)" in load(data_dir)


def test_a_file_never_overwrites_an_administrators_work(setagaya, data_dir, admin):
    load(data_dir)
    definition = Procedure.objects.get(code="jumin-hyo").current.definition()
    services.draft_save(by=admin, definition={**definition, "processing_days": 5})
    path = data_dir / "jumin-hyo.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "processing_days: 0", "processing_days: 1"), encoding="utf-8")
    assert "jumin-hyo: kept (v1)" in load(data_dir)  # a draft is open
    services.draft_publish(by=admin, code="jumin-hyo")
    assert "jumin-hyo: kept (v2)" in load(data_dir)  # the administrators' version is current
    assert Procedure.objects.get(code="jumin-hyo").current.processing_days == 5


def test_a_broken_file_is_named_with_its_problems_and_loads_nothing(setagaya, data_dir):
    (data_dir / "zz-broken.yaml").write_text(
        "code: zz-broken\nname: 壊れた手続き\nsection: kazei\nchannels: [counter]\n"
        "form: {sections: [{title: A, fields: [{name: x, type: dat, label: X}]}]}\n"
        "workflow: {initial: a, statuses: [], transitions: []}\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        load(data_dir)
    message = str(caught.value)
    assert message.startswith("zz-broken.yaml:")
    assert "種類「dat」は使えません" in message
    assert not Procedure.objects.filter(code="zz-broken").exists()


def test_yaml_syntax_errors_give_the_line(setagaya, data_dir):
    (data_dir / "bad.yaml").write_text("code: bad\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.yaml: 3行目"):
        load(data_dir)


def test_run_script_loads_the_catalogue():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "bin" / "run").read_text()
    assert "manage.py load_procedures" in script
