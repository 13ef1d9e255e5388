from django.urls import path

from madoguchi.counter.views import counters, log, office, public

app_name = "counter"

urlpatterns = [
    path("", office.offices, name="offices"),
    path("log.csv", log.ward_csv, name="ward_csv"),
    path("reception/", public.reception, name="reception"),
    path("reception/check-in/", public.reception_check_in, name="reception_check_in"),
    path("reception/<str:key>/", public.reception_key, name="reception_key"),
    path("t/<str:token>/", public.ticket, name="ticket"),
    path("t/<str:token>/receipt.pdf", public.receipt, name="receipt"),
    path("display/<slug:office>/", public.display, name="display"),
    path("wait/<slug:office>/", public.waits, name="waits"),
    path("o/<slug:office>/", office.office_page, name="office"),
    path("o/<slug:office>/issue/", office.issue, name="issue"),
    path("o/<slug:office>/check-in/", office.check_in, name="check_in"),
    path("o/<slug:office>/services/", office.configure, name="configure"),
    path("o/<slug:office>/kiosk-key/", office.kiosk_key, name="kiosk_key"),
    path("o/<slug:office>/counters/<int:number>/", counters.counter_page, name="counter"),
    path("o/<slug:office>/counters/<int:number>/act/", counters.counter_act, name="counter_act"),
    path("o/<slug:office>/log/", log.log, name="log"),
    path("o/<slug:office>/log.csv", log.log_csv, name="log_csv"),
]
