from django.shortcuts import render

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action


@policy_required(Action.AUDIT_VIEW)
def entry_list(request):
    return render(request, "audit/list.html", {})
