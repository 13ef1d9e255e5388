from django.urls import include, path

from madoguchi.api.urls import api

urlpatterns = [
    path("", include("madoguchi.core.urls")),
    path("accounts/", include("madoguchi.accounts.urls")),
    path("org/", include("madoguchi.organisation.urls")),
    path("residents/", include("madoguchi.people.urls")),
    path("audit/", include("madoguchi.audit.urls")),
    path("consultations/", include("madoguchi.consultations.urls")),
    path("schedule/", include("madoguchi.scheduling.urls")),
    path("meet/", include("madoguchi.meetings.urls")),
    path("", include("madoguchi.procedures.urls")),
    path("portal/applications/", include("madoguchi.applications.urls_portal")),
    path("portal/", include("madoguchi.portal.urls")),
    path("assist/", include("madoguchi.applications.urls_assist")),
    path("review/", include("madoguchi.applications.urls_review")),
    path("", include("madoguchi.applications.urls_notices")),
    path("", include("madoguchi.guidance.urls")),
    path("disaster/", include("madoguchi.disaster.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

handler400 = "madoguchi.core.views.bad_request"
handler403 = "madoguchi.core.views.forbidden"
handler404 = "madoguchi.core.views.not_found"
handler500 = "madoguchi.core.views.server_error"
