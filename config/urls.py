from django.urls import include, path

from madoguchi.api.urls import api

urlpatterns = [
    path("", include("madoguchi.site.urls")),
    path("accounts/", include("madoguchi.accounts.urls")),
    path("org/", include("madoguchi.organisation.urls")),
    path("residents/", include("madoguchi.people.urls")),
    path("audit/", include("madoguchi.audit.urls")),
    path("consultations/", include("madoguchi.consultations.urls")),
    path("schedule/", include("madoguchi.scheduling.urls")),
    path("meet/", include("madoguchi.meetings.urls")),
    path("counter/", include("madoguchi.counter.urls")),
    path("", include("madoguchi.procedures.urls")),
    path("portal/applications/", include("madoguchi.applications.urls.portal")),
    path("portal/consultation/", include("madoguchi.selfbook.urls")),
    path("portal/", include("madoguchi.portal.urls")),
    path("assist/", include("madoguchi.applications.urls.assist")),
    path("review/", include("madoguchi.applications.urls.review")),
    path("", include("madoguchi.applications.urls.notices")),
    path("", include("madoguchi.guidance.urls")),
    path("collaboration/", include("madoguchi.collaboration.urls")),
    path("", include("madoguchi.assessment.urls")),
    path("events/", include("madoguchi.participation.urls.public")),
    path("participation/", include("madoguchi.participation.urls.staff")),
    path("community/", include("madoguchi.community.urls")),
    path("pubcom/", include("madoguchi.opinions.urls.public")),
    path("opinions/", include("madoguchi.opinions.urls.staff")),
    path("disaster/", include("madoguchi.disaster.urls")),
    path("", include("madoguchi.flyers.urls")),
    path("news/", include("madoguchi.news.urls")),
    path("mail/", include("madoguchi.notifications.urls")),
    path("signage/", include("madoguchi.signage.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

handler400 = "madoguchi.site.views.bad_request"
handler403 = "madoguchi.site.views.forbidden"
handler404 = "madoguchi.site.views.not_found"
handler500 = "madoguchi.site.views.server_error"
