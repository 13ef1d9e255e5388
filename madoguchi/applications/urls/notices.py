"""URLs of the applications context (namespace `notices`): residents' decision notices."""

from django.urls import path

from madoguchi.applications.views import notices

app_name = "notices"

urlpatterns: list = [
    path("notice/<str:token>/", notices.link, name="link"),
    path("portal/notices/<uuid:public_id>/", notices.portal_download, name="portal_file"),
]
