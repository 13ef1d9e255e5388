"""ASGI entry point (uvicorn in the embedded default; any number of workers in production).

HTTP goes to Django; WebSockets (the video rooms' signaling, the counter's call display, the
signage players) to Channels, behind the allowed-hosts origin check and the session middleware.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the consumers (and their models) are imported.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from madoguchi.counter.routing import websocket_urlpatterns as counter_sockets  # noqa: E402
from madoguchi.meetings.routing import websocket_urlpatterns  # noqa: E402
from madoguchi.signage.routing import websocket_urlpatterns as signage_sockets  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_application,
    "websocket": AllowedHostsOriginValidator(
        # The staff login is read from the session by the consumer itself, in its own
        # database trip (madoguchi/meetings/consumers/room.py, _identify).
        SessionMiddlewareStack(URLRouter(
            websocket_urlpatterns + counter_sockets + signage_sockets))),
})
