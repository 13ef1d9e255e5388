"""Send staff who must complete two-factor authentication to the OTP step."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from madoguchi.accounts.policy import requires_two_factor
from madoguchi.core.problem import is_api, problem_response

EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")
SESSION_FLAG = "otp_needed"


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and not user.is_verified()
                and not request.path.startswith(EXEMPT_PREFIXES)):
            needed = request.session.get(SESSION_FLAG)
            if needed is None:
                needed = requires_two_factor(user) or user_has_device(user, confirmed=True)
                request.session[SESSION_FLAG] = needed
            if needed:
                if is_api(request):
                    return problem_response(403, _("二要素認証が必要です。"),
                                            code="two_factor_required")
                return redirect(reverse("accounts:two_factor"))
        return self.get_response(request)
