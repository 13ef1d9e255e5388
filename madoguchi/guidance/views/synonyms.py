"""The ward's synonym dictionary (国保 = 国民健康保険 …), edited by ward administrators.

Questions use a change at once; the knowledge base is re-indexed with it by the task
worker (a full rebuild takes seconds to a minute, too long for a request).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.guidance import selectors, services
from madoguchi.guidance.forms import SynonymForm
from madoguchi.guidance.models import Synonym


@never_cache
@require_http_methods(["GET"])
@policy_required(Action.GUIDANCE_SYNONYMS)
def synonym_list(request):
    return render(request, "guidance/synonyms.html",
                  {"synonyms": selectors.synonym_list().select_related("updated_by")})


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.GUIDANCE_SYNONYMS)
def synonym_edit(request, pk=None):
    synonym = get_object_or_404(Synonym, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = SynonymForm(request.POST)
        if form.is_valid():
            try:
                services.synonym_save(by=request.user, synonym=synonym, later=True,
                                      **form.data_for_service())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("同義語を保存しました。質問にはすぐ使われ、"
                                            "索引は数分以内に作り直されます。"))
                return redirect("guidance:synonyms")
    else:
        form = SynonymForm(initial=SynonymForm.initial_for(synonym) if synonym else None)
    return render(request, "guidance/synonym_form.html", {"form": form, "synonym": synonym})


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.GUIDANCE_SYNONYMS)
def synonym_delete(request, pk):
    synonym = get_object_or_404(Synonym, pk=pk)
    if request.method == "POST":
        services.synonym_delete(synonym=synonym, by=request.user, later=True)
        messages.success(request, _("同義語「%(word)s」を削除しました。") % {
            "word": synonym.canonical})
        return redirect("guidance:synonyms")
    return render(request, "guidance/synonym_delete.html", {"synonym": synonym})
