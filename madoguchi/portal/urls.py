from django.urls import path

from madoguchi.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_choice, name="login"),
    path("login/email/", views.email_request, name="email_request"),
    path("login/email/sent/", views.email_sent, name="email_sent"),
    path("login/email/confirm/", views.email_confirm, name="email_confirm"),
    path("login/email/<str:token>/", views.email_open, name="email_open"),
    path("login/card/", views.card, name="card"),
    path("login/card/start/", views.card_start, name="card_start"),
    path("login/card/callback/", views.card_callback, name="card_callback"),
    path("link-code/", views.link_code, name="link_code"),
    path("logout/", views.logout, name="logout"),
]
