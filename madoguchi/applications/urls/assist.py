"""URLs of the assisted applications (namespace `assist`, mounted at /assist/)."""

from django.urls import path

from madoguchi.applications.views.assist import chain, corrections, link, steps

app_name = "assist"

urlpatterns = [
    path("", steps.index, name="index"),
    path("resident/<uuid:public_id>/", steps.choose, name="choose"),
    path("resident/<uuid:public_id>/start/", steps.start, name="start"),
    path("life-event/<slug:code>/", chain.life_event, name="life_event"),
    path("life-event/<slug:code>/start/", chain.chain_start, name="chain_start"),
    path("next/", chain.chain_next, name="chain_next"),
    path("<uuid:public_id>/", steps.form, name="form"),
    path("<uuid:public_id>/attachments/", steps.attachments, name="attachments"),
    path("<uuid:public_id>/confirm/", steps.confirm, name="confirm"),
    path("<uuid:public_id>/receipt/", steps.receipt, name="receipt"),
    path("<uuid:public_id>/discard/", steps.discard, name="discard"),
    path("<uuid:public_id>/link/", link.link, name="link"),
    path("<uuid:public_id>/correction/", corrections.correction, name="correction"),
]
