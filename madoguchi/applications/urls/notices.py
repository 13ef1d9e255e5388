"""URLs of the applications context (namespace `notices`): residents' decision notices."""

from django.urls import path

from madoguchi.applications import notice_views

app_name = "notices"

urlpatterns: list = [
    path("notice/<str:token>/", notice_views.link, name="link"),
    path("portal/notices/<uuid:public_id>/", notice_views.portal_download, name="portal_file"),
]
