from django.urls import path

from madoguchi.selfbook import views

app_name = "selfbook"

urlpatterns = [
    path("", views.start, name="start"),
    path("book/", views.book, name="book"),
    path("mine/", views.mine, name="mine"),
    path("mine/<uuid:public_id>/", views.detail, name="detail"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("settings/", views.settings_page, name="settings"),
]
