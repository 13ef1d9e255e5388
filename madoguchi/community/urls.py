from django.urls import path

from madoguchi.community import views

app_name = "community"

urlpatterns = [
    path("", views.index, name="index"),
    path("rooms/", views.rooms, name="rooms"),
    path("equipment/", views.equipment, name="equipment"),
    path("groups/apply/", views.group_apply, name="group_apply"),
    path("group/login/", views.group_login_request, name="group_login_request"),
    path("group/login/<str:token>/", views.group_login, name="group_login"),
    path("group/", views.group_portal, name="group_portal"),
    path("staff/counter/", views.counter, name="counter"),
    path("staff/counter/return/", views.loan_return, name="loan_return"),
    path("staff/counter/remind/", views.remind, name="remind"),
    path("staff/rooms/", views.room_desk, name="room_desk"),
    path("staff/rooms/closures/", views.closure_add, name="closure_add"),
    path("staff/groups/", views.groups, name="groups"),
    path("staff/lottery/", views.lottery, name="lottery"),
    path("staff/lottery/<int:run_id>/annul/", views.lottery_annul, name="lottery_annul"),
    path("staff/groups/<uuid:group_id>/decide/", views.group_decide, name="group_decide"),
]
