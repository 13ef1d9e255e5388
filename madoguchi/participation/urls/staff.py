from django.urls import path

from madoguchi.participation.views import checkin, staff

app_name = "participation"

urlpatterns = [
    path("", staff.event_list, name="list"),
    path("new/", staff.event_create, name="create"),
    path("kinds/", staff.kinds, name="kinds"),
    path("<uuid:event>/", staff.event_detail, name="event"),
    path("<uuid:event>/edit/", staff.event_edit, name="edit"),
    path("<uuid:event>/step/<slug:step>/", staff.event_step, name="step"),
    path("<uuid:event>/draw/", staff.draw, name="draw"),
    path("<uuid:event>/registrations/", staff.registrations, name="registrations"),
    path("<uuid:event>/checkin/", checkin.check_in, name="checkin"),
    path("<uuid:event>/registrations/<uuid:registration>/attend/", staff.attend,
         name="attend"),
    path("<uuid:event>/registrations/<uuid:registration>/cancel/", staff.staff_cancel,
         name="cancel"),
]
