from django.urls import path

from madoguchi.consultations.views import booking, intake, outcome, record, routing_table

app_name = "consultations"

urlpatterns = [
    path("", intake.inbox, name="inbox"),
    path("new/", intake.intake, name="intake"),
    path("<uuid:public_id>/", record.detail, name="detail"),
    path("<uuid:public_id>/route/", intake.route, name="route"),
    path("<uuid:public_id>/book/", booking.book, name="book"),
    path("<uuid:public_id>/reschedule/", booking.reschedule, name="reschedule"),
    path("<uuid:public_id>/cancel/", booking.cancel, name="cancel"),
    path("<uuid:public_id>/outcome/", outcome.outcome, name="outcome"),
    path("<uuid:public_id>/followups/", outcome.followup_create, name="followup_create"),
    path("<uuid:public_id>/documents/", record.document_add, name="document_add"),
    path("<uuid:public_id>/references/", record.reference_add, name="reference_add"),
    path("<uuid:public_id>/references/remove/", record.reference_remove,
         name="reference_remove"),
    path("<uuid:public_id>/documents/<uuid:file_id>/", record.document_download,
         name="document_download"),
    path("<uuid:public_id>/followups/<int:followup_id>/done/", outcome.followup_complete,
         name="followup_complete"),
    path("routing/", routing_table.routing_rules, name="routing_rules"),
    path("routing/new/", routing_table.routing_rule_edit, name="routing_rule_create"),
    path("routing/<int:pk>/", routing_table.routing_rule_edit, name="routing_rule_edit"),
    path("online/", routing_table.online_services, name="online_services"),
]
