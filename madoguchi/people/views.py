from django.shortcuts import render

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action


@policy_required(Action.RESIDENT_SEARCH)
def search(request):
    return render(request, "people/search.html", {})


@policy_required(Action.RESIDENT_CREATE)
def create(request):
    return render(request, "people/form.html", {})
