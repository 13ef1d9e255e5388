from django.urls import path

from madoguchi.signage import views

app_name = "signage"

urlpatterns = [
    path("", views.items, name="items"),
    path("new/", views.item_create, name="item_create"),
    path("i/<uuid:item>/", views.item_detail, name="item"),
    path("i/<uuid:item>/decide/", views.item_decide, name="item_decide"),
    path("i/<uuid:item>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("screens/", views.screens, name="screens"),
    path("screens/plays/", views.plays, name="plays"),
    path("emergency/", views.emergency, name="emergency"),
    path("k/<str:key>/", views.player_key, name="player_key"),
    path("player/", views.player, name="player"),
    path("player/sw.js", views.worker, name="worker"),
    path("player/schedule.json", views.schedule, name="schedule"),
    path("player/heartbeat/", views.heartbeat, name="heartbeat"),
    path("player/media/<uuid:item>/", views.media, name="media"),
]
