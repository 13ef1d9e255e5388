"""View helpers that apply the policy: ``@policy_required(Action.X)``."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from madoguchi.accounts.policy import Action, has_role_for


def policy_required(action: Action):
    """The gate of a view: may the user's role take ``action`` at all?

    Anonymous users go to the login page; staff whose role may not take the action get
    403. Record-level rules (which resident) are applied by the selectors and services the
    view calls, which answer 404 for records outside the user's scope.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role_for(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
