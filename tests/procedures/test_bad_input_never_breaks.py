"""Whatever arrives — junk text, wrong shapes, huge numbers — the engine answers with
messages, never with an exception (so never with an error page)."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.procedures.formschema.django_forms import ProcedureForm, row_action
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.parse import parse_form
from madoguchi.procedures.loader import DATA_DIR, read_definition

FORMS = {code: parse_form(read_definition(DATA_DIR / f"{code}.yaml")["form"])
         for code in ("jido-teate-nintei", "kaigo-nintei", "hoiku-riyo")}

junk_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | \
    st.sampled_from(["令和", "R99.99.99", "平成0年1月1日", "〇〇年", "1e9", "-", "〒", "万",
                     "1234 5678 9018", "９９９９９９９９９９９９９９", "\x00", "yes", "no"])
junk = st.recursive(
    junk_text | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=True),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=8)


def leaf_names(form) -> list[str]:
    names = []
    for spec in form.top_fields():
        names.append(spec.name)
        names.extend(f"{spec.name}-{part}" for part in spec.parts)
        for sub in spec.fields:
            names.append(f"{spec.name}-0-{sub.name}")
            names.extend(f"{spec.name}-0-{sub.name}-{part}" for part in sub.parts)
        if spec.is_group:
            names.append(f"{spec.name}-rows")
    return names


@pytest.mark.parametrize("code", list(FORMS))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_engine_answers_any_input_with_messages(code, data):
    form = FORMS[code]
    names = [spec.name for spec in form.top_fields()]
    answers = data.draw(st.dictionaries(st.sampled_from(names), junk, max_size=len(names)))
    with translation.override("ja"):
        outcome = clean_answers(form, answers)
    assert isinstance(outcome.errors, dict)
    for messages in outcome.errors.values():
        assert all(isinstance(m, str) and m for m in messages)


@pytest.mark.parametrize("code", list(FORMS))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_django_form_answers_any_post_with_messages(code, data):
    form_spec = FORMS[code]
    names = leaf_names(form_spec) + ["_add", "_remove"]
    post = QueryDict(mutable=True)
    for name in data.draw(st.lists(st.sampled_from(names), max_size=25)):
        post.appendlist(name, data.draw(junk_text))
    with translation.override("ja"):
        raw = row_action(form_spec, post)
        form = ProcedureForm(form_spec, answers=raw) if raw is not None else \
            ProcedureForm(form_spec, post)
        if raw is None:
            form.is_valid()
            form.error_summary()
        form.layout()
