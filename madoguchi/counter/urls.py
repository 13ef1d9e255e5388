from django.urls import path

from madoguchi.counter import views

app_name = "counter"

urlpatterns = [
    path("", views.offices, name="offices"),
    path("log.csv", views.ward_csv, name="ward_csv"),
    path("reception/", views.reception, name="reception"),
    path("reception/check-in/", views.reception_check_in, name="reception_check_in"),
    path("reception/<str:key>/", views.reception_key, name="reception_key"),
    path("t/<str:token>/", views.ticket, name="ticket"),
    path("t/<str:token>/receipt.pdf", views.receipt, name="receipt"),
    path("display/<slug:office>/", views.display, name="display"),
    path("wait/<slug:office>/", views.waits, name="waits"),
    path("o/<slug:office>/", views.office_page, name="office"),
    path("o/<slug:office>/issue/", views.issue, name="issue"),
    path("o/<slug:office>/check-in/", views.check_in, name="check_in"),
    path("o/<slug:office>/services/", views.configure, name="configure"),
    path("o/<slug:office>/kiosk-key/", views.kiosk_key, name="kiosk_key"),
    path("o/<slug:office>/counters/<int:number>/", views.counter_page, name="counter"),
    path("o/<slug:office>/counters/<int:number>/act/", views.counter_act, name="counter_act"),
    path("o/<slug:office>/log/", views.log, name="log"),
    path("o/<slug:office>/log.csv", views.log_csv, name="log_csv"),
]
