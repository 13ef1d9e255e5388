from django.shortcuts import render

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.organisation.selectors import centre_directory


@policy_required(Action.ORG_VIEW)
def overview(request):
    return render(request, "organisation/overview.html", {"regions": centre_directory()})
