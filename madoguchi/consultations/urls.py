from django.urls import path

from madoguchi.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.intake, name="intake"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/route/", views.route, name="route"),
    path("<uuid:public_id>/book/", views.book, name="book"),
    path("<uuid:public_id>/reschedule/", views.reschedule, name="reschedule"),
    path("<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:public_id>/outcome/", views.outcome, name="outcome"),
    path("<uuid:public_id>/followups/", views.followup_create, name="followup_create"),
    path("<uuid:public_id>/documents/", views.document_add, name="document_add"),
    path("<uuid:public_id>/documents/<uuid:file_id>/", views.document_download,
         name="document_download"),
    path("<uuid:public_id>/followups/<int:followup_id>/done/", views.followup_complete,
         name="followup_complete"),
    path("routing/", views.routing_rules, name="routing_rules"),
    path("routing/new/", views.routing_rule_edit, name="routing_rule_create"),
    path("routing/<int:pk>/", views.routing_rule_edit, name="routing_rule_edit"),
    path("online/", views.online_services, name="online_services"),
]
