from django.urls import path

from madoguchi.meetings import views

app_name = "meetings"

urlpatterns = [
    path("booking/<uuid:public_id>/", views.booking_room, name="booking_room"),
    path("join/<str:token>/", views.join, name="join"),
    path("kiosks/", views.kiosks, name="kiosks"),
    path("kiosk/state/", views.kiosk_state, name="kiosk_state"),
    path("kiosk/consent/", views.kiosk_consent, name="kiosk_consent"),
    path("kiosk/<str:token>/", views.kiosk, name="kiosk"),
    path("<uuid:public_id>/", views.room, name="room"),
    path("<uuid:public_id>/links/", views.link_create, name="link_create"),
    path("<uuid:public_id>/links/<int:pk>/revoke/", views.link_revoke, name="link_revoke"),
    path("<uuid:public_id>/files/", views.files, name="files"),
    path("<uuid:public_id>/files/share/", views.file_share, name="file_share"),
    path("<uuid:public_id>/files/<uuid:file_id>/", views.file_download, name="file_download"),
]
