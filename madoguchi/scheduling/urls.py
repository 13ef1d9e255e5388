from django.urls import path

from madoguchi.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/<slug:region>/<slug:district>/", views.day_board, name="day_board"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:pk>/", views.section_calendar, name="section_calendar"),
    path("agenda/", views.agenda, name="agenda"),
]
