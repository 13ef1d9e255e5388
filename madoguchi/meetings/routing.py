from django.urls import path

from madoguchi.meetings.consumers import MeetingConsumer

websocket_urlpatterns = [
    path("ws/meet/<uuid:room>/", MeetingConsumer.as_asgi()),
]
