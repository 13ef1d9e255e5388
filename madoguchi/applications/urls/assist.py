"""URLs of the assisted applications (namespace `assist`, mounted at /assist/)."""

from django.urls import path

from madoguchi.applications import (
    assist_chain,
    assist_corrections,
    assist_link,
    assist_views,
)

app_name = "assist"

urlpatterns = [
    path("", assist_views.index, name="index"),
    path("resident/<uuid:public_id>/", assist_views.choose, name="choose"),
    path("resident/<uuid:public_id>/start/", assist_views.start, name="start"),
    path("life-event/<slug:code>/", assist_chain.life_event, name="life_event"),
    path("life-event/<slug:code>/start/", assist_chain.chain_start, name="chain_start"),
    path("next/", assist_chain.chain_next, name="chain_next"),
    path("<uuid:public_id>/", assist_views.form, name="form"),
    path("<uuid:public_id>/attachments/", assist_views.attachments, name="attachments"),
    path("<uuid:public_id>/confirm/", assist_views.confirm, name="confirm"),
    path("<uuid:public_id>/receipt/", assist_views.receipt, name="receipt"),
    path("<uuid:public_id>/discard/", assist_views.discard, name="discard"),
    path("<uuid:public_id>/link/", assist_link.link, name="link"),
    path("<uuid:public_id>/correction/", assist_corrections.correction, name="correction"),
]
