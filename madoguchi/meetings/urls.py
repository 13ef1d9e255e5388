from django.urls import path

from madoguchi.meetings import recording_views, views

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
    # Recording (ADR 0012)
    path("<uuid:public_id>/recording/", recording_views.recording_state,
         name="recording_state"),
    path("<uuid:public_id>/recording/consent/", recording_views.recording_consent,
         name="recording_consent"),
    path("<uuid:public_id>/recording/verbal/", recording_views.recording_verbal,
         name="recording_verbal"),
    path("<uuid:public_id>/recording/start/", recording_views.recording_start,
         name="recording_start"),
    path("<uuid:public_id>/recording/stop/", recording_views.recording_stop,
         name="recording_stop"),
    path("<uuid:public_id>/recordings/", recording_views.recordings_list, name="recordings"),
    path("recordings/<uuid:public_id>/piece/", recording_views.recording_piece,
         name="recording_piece"),
    path("recordings/<uuid:public_id>/file/", recording_views.recording_file,
         name="recording_file"),
    path("recordings/<uuid:public_id>/delete/", recording_views.recording_delete,
         name="recording_delete"),
    path("recording/sections/", recording_views.recording_sections,
         name="recording_sections"),
]
