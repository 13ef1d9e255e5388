from django.urls import path

from madoguchi.signage.consumers import PlayerConsumer

websocket_urlpatterns = [
    path("ws/signage/", PlayerConsumer.as_asgi()),
]
