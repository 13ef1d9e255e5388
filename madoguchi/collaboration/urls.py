from django.urls import path

from madoguchi.collaboration import views

app_name = "collaboration"

urlpatterns = [
    path("records/", views.record_list, name="records"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/<uuid:public_id>/", views.record_detail, name="record"),
    path("records/<uuid:public_id>/status/", views.record_transition, name="record_transition"),
    path("records/<uuid:public_id>/references/", views.record_reference,
         name="record_reference"),
    path("records/<uuid:public_id>/references/remove/", views.record_reference_remove,
         name="record_reference_remove"),
    path("records/<uuid:public_id>/escalate/", views.escalation_create,
         name="escalation_create"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/held/", views.meeting_hold, name="meeting_hold"),
    path("meetings/<int:pk>/actions/", views.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/approve/", views.meeting_approve, name="meeting_approve"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/done/", views.action_done, name="action_done"),
    path("tasks/<int:pk>/escalate/", views.action_escalate, name="action_escalate"),
    path("resources/", views.resource_list, name="resources"),
    path("escalations/", views.escalation_list, name="escalations"),
    path("escalations/<uuid:public_id>/", views.escalation_detail, name="escalation"),
    path("settings/", views.settings_page, name="settings"),
]
