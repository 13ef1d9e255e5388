"""ASGI entry of the demo identity provider: ``uvicorn madoguchi.demo_idp.asgi:application``."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.demo_idp.settings")
application = get_asgi_application()
