from django.urls import path

from madoguchi.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/consents/", views.consent_give, name="consent_give"),
    path("<uuid:public_id>/consents/<int:consent_id>/withdraw/", views.consent_withdraw,
         name="consent_withdraw"),
]
