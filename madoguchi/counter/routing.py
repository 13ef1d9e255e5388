from django.urls import path

from madoguchi.counter.consumers import DisplayConsumer

websocket_urlpatterns = [
    path("ws/counter/<slug:office>/", DisplayConsumer.as_asgi()),
]
