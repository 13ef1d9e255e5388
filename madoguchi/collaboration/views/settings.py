"""The ward's settings of collaboration: themes and the standard form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.collaboration import services
from madoguchi.collaboration.forms import (
    DefinitionForm,
    ThemeForm,
    apply_errors,
)
from madoguchi.collaboration.models import Theme


@policy_required(Action.COLLAB_SETTINGS)
def settings_page(request):
    import yaml

    current = services.current_form()
    theme_form = ThemeForm(request.POST if "save_theme" in request.POST else None)
    definition_form = DefinitionForm(
        request.POST if "publish_form" in request.POST else None,
        initial={"definition": yaml.safe_dump(current.definition, allow_unicode=True,
                                              sort_keys=False)})
    if theme_form.is_bound and theme_form.is_valid():
        data = theme_form.cleaned_data
        try:
            services.theme_save(code=data["code"], name=data["name"], name_en=data["name_en"],
                                is_active=data["is_active"], by=request.user)
        except ValidationError as error:
            apply_errors(theme_form, error)
        else:
            messages.success(request, _("テーマを保存しました。"))
            return redirect("collaboration:settings")
    if definition_form.is_bound and definition_form.is_valid():
        try:
            definition = yaml.safe_load(definition_form.cleaned_data["definition"])
        except yaml.YAMLError:
            definition_form.add_error("definition", _(
                "YAMLの書き方に誤りがあります。字下げと「:」の後の空白を確かめてください。"))
        else:
            try:
                form = services.record_form_publish(definition=definition, by=request.user)
            except ValidationError as error:
                definition_form.add_error("definition", error.messages)
            else:
                messages.success(request, _("記録様式の第%(version)d版を公開しました。")
                                 % {"version": form.version})
                return redirect("collaboration:settings")
    return render(request, "collaboration/settings.html", {
        "themes": Theme.objects.all(), "theme_form": theme_form,
        "definition_form": definition_form, "current": current})
