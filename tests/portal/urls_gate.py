"""Pages behind each identity level, as the procedures' pages will be (test URLconf)."""

from django.http import HttpResponse
from django.urls import include, path

from madoguchi.portal.access import portal_identity_required


@portal_identity_required("none")
def open_page(request):
    return HttpResponse("anonymous" if request.portal_login is None else "resident")


@portal_identity_required("email")
def email_page(request):
    return HttpResponse(f"email {request.portal_login.level}")


@portal_identity_required("strong")
def strong_page(request):
    return HttpResponse(f"strong {request.portal_login.level}")


urlpatterns = [
    path("gate/none/", open_page),
    path("gate/email/", email_page),
    path("gate/strong/", strong_page),
    path("", include("config.urls")),
]
