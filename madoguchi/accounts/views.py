from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from madoguchi.accounts import services
from madoguchi.accounts.access import policy_required
from madoguchi.accounts.forms import StaffAuthenticationForm, TokenForm
from madoguchi.accounts.home import cards_for
from madoguchi.accounts.middleware import SESSION_FLAG
from madoguchi.accounts.policy import Action, memberships, requires_two_factor


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Verify a TOTP code, or enrol a first authenticator when the user has none."""
    if request.user.is_verified():
        return redirect("accounts:home")
    enrolled = user_has_device(request.user, confirmed=True)
    form = TokenForm(request.POST or None)
    device = None if enrolled else services.totp_pending_device(request.user)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        result = (services.totp_verify(request=request, token=token) if enrolled
                  else services.totp_confirm(request=request, device=device, token=token))
        if result is services.TokenResult.OK:
            request.session[SESSION_FLAG] = True
            if not enrolled:
                messages.success(request, _("二要素認証を設定しました。"))
            return redirect("accounts:home")
        elif result is services.TokenResult.THROTTLED:
            form.add_error("token", _("確認コードの誤りが続いたため、少し時間をおいています。"
                                      "数秒待ってから、認証アプリの最新のコードを入力してください。"))
        else:
            form.add_error("token", _("確認コードが正しくないか、有効期限が切れています。"
                                      "認証アプリに表示されている最新のコードを入力してください。"))
    context = {"form": form, "enrolled": enrolled,
               "required": requires_two_factor(request.user)}
    if device is not None:
        qr = segno.make(device.config_url, error="m")
        context["qr_svg"] = mark_safe(qr.svg_inline(scale=5, title=_("認証アプリ用のQRコード")))  # noqa: S308
        context["secret"] = device_secret(device)
    return render(request, "accounts/two_factor.html", context)


def device_secret(device) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode()
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


@policy_required(Action.HOME)
def home(request):
    return render(request, "accounts/home.html", {
        "memberships": memberships(request.user),
        "cards": cards_for(request.user),
    })
