from django.urls import path

from madoguchi.meetings.views import files, kiosk, recording, rooms

app_name = "meetings"

urlpatterns = [
    path("booking/<uuid:public_id>/", rooms.booking_room, name="booking_room"),
    path("join/<str:token>/", rooms.join, name="join"),
    path("kiosks/", kiosk.kiosks, name="kiosks"),
    path("kiosk/state/", kiosk.kiosk_state, name="kiosk_state"),
    path("kiosk/consent/", kiosk.kiosk_consent, name="kiosk_consent"),
    path("kiosk/<str:token>/", kiosk.kiosk, name="kiosk"),
    path("<uuid:public_id>/", rooms.room, name="room"),
    path("<uuid:public_id>/links/", rooms.link_create, name="link_create"),
    path("<uuid:public_id>/links/<int:pk>/revoke/", rooms.link_revoke, name="link_revoke"),
    path("<uuid:public_id>/files/", files.files, name="files"),
    path("<uuid:public_id>/files/share/", files.file_share, name="file_share"),
    path("<uuid:public_id>/files/<uuid:file_id>/", files.file_download, name="file_download"),
    # Recording (ADR 0012)
    path("<uuid:public_id>/recording/", recording.recording_state,
         name="recording_state"),
    path("<uuid:public_id>/recording/consent/", recording.recording_consent,
         name="recording_consent"),
    path("<uuid:public_id>/recording/verbal/", recording.recording_verbal,
         name="recording_verbal"),
    path("<uuid:public_id>/recording/start/", recording.recording_start,
         name="recording_start"),
    path("<uuid:public_id>/recording/stop/", recording.recording_stop,
         name="recording_stop"),
    path("<uuid:public_id>/recordings/", recording.recordings_list, name="recordings"),
    path("recordings/<uuid:public_id>/piece/", recording.recording_piece,
         name="recording_piece"),
    path("recordings/<uuid:public_id>/file/", recording.recording_file,
         name="recording_file"),
    path("recordings/<uuid:public_id>/delete/", recording.recording_delete,
         name="recording_delete"),
    path("recording/sections/", recording.recording_sections,
         name="recording_sections"),
]
