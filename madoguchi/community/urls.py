from django.urls import path

from madoguchi.community import views
from madoguchi.community.views import approvals, profiles, usage

app_name = "community"

urlpatterns = [
    path("", views.index, name="index"),
    path("rooms/", views.rooms, name="rooms"),
    path("equipment/", views.equipment, name="equipment"),
    path("groups/apply/", views.group_apply, name="group_apply"),
    path("groups/", profiles.group_profiles, name="group_profiles"),
    path("groups/<uuid:group_id>/", profiles.group_profile, name="group_profile"),
    path("group/profile/", profiles.profile_consent, name="profile_consent"),
    path("group/login/", views.group_login_request, name="group_login_request"),
    path("group/login/<str:token>/", views.group_login, name="group_login"),
    path("group/", views.group_portal, name="group_portal"),
    path("group/circulars/", views.group_circulars, name="group_circulars"),
    path("group/households/", views.household_add, name="household_add"),
    path("group/circulars/<uuid:circular_id>/", views.group_circular, name="group_circular"),
    path("group/circulars/<uuid:circular_id>/print/", views.group_circular_pdf,
         name="group_circular_pdf"),
    path("circulars/read/<str:token>/", views.circular_read, name="circular_read"),
    path("circulars/read/<str:token>/files/<uuid:file_id>/", views.circular_file,
         name="circular_file"),
    path("staff/circulars/", views.centre_circulars, name="centre_circulars"),
    path("staff/circulars/<uuid:circular_id>/", views.centre_circular,
         name="centre_circular"),
    path("staff/circulars/<uuid:circular_id>/print/", views.centre_circular_pdf,
         name="centre_circular_pdf"),
    path("staff/counter/", views.counter, name="counter"),
    path("staff/counter/return/", views.loan_return, name="loan_return"),
    path("staff/counter/remind/", views.remind, name="remind"),
    path("staff/rooms/", views.room_desk, name="room_desk"),
    path("staff/rooms/closures/", views.closure_add, name="closure_add"),
    path("staff/rooms/<int:room_id>/usage/", usage.room_usage, name="room_usage"),
    path("staff/rooms/<int:room_id>/usage.csv", usage.room_usage_csv, name="room_usage_csv"),
    path("staff/rooms/bookings/", usage.booking_records, name="booking_records"),
    path("staff/rooms/approvals/", approvals.approvals, name="approvals"),
    path("staff/groups/", views.groups, name="groups"),
    path("staff/lottery/", views.lottery, name="lottery"),
    path("staff/lottery/<int:run_id>/annul/", views.lottery_annul, name="lottery_annul"),
    path("staff/groups/<uuid:group_id>/decide/", views.group_decide, name="group_decide"),
]
