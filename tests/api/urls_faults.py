"""The project's URLs plus a view that fails, under /api/ and as a page (test URLconf)."""

from django.urls import include, path

from config import urls as project


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [
    path("api/v1/test-broken/", broken),
    path("test-broken/", broken),
    path("", include("config.urls")),
]

handler400, handler403 = project.handler400, project.handler403
handler404, handler500 = project.handler404, project.handler500
