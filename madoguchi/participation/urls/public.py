from django.urls import path

from madoguchi.participation.views import checkin, public

app_name = "events"

urlpatterns = [
    path("", public.calendar, name="calendar"),
    path("district/<slug:region>/<slug:code>/", public.calendar, name="district_calendar"),
    path("e/<uuid:event>/", public.event_page, name="event"),
    path("cancel/<str:token>/", public.cancel, name="cancel"),
    path("pass/<str:token>/", checkin.pass_page, name="pass"),
    path("feed/events.ics", public.ics_feed, name="ics"),
    path("feed/rss/", public.EventsFeed(), name="rss"),
    path("feed/atom/", public.AtomFeed(), name="atom"),
]
