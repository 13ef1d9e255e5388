"""URLs of the residents' online applications (namespace `apply`, under
/portal/applications/)."""

from django.urls import path

from madoguchi.applications.views.portal import drafts, my_applications

app_name = "apply"

urlpatterns = [
    path("", my_applications.applications, name="list"),
    path("new/<slug:code>/", drafts.start, name="start"),
    path("<uuid:public_id>/", my_applications.detail, name="detail"),
    path("<uuid:public_id>/edit/", drafts.edit, name="edit"),
    path("<uuid:public_id>/confirm/", drafts.confirm, name="confirm"),
    path("<uuid:public_id>/done/", drafts.done, name="done"),
    path("<uuid:public_id>/discard/", my_applications.discard, name="discard"),
    path("<uuid:public_id>/answer/", my_applications.answer, name="answer"),
    path("<uuid:public_id>/action/<slug:name>/", my_applications.act, name="act"),
]
