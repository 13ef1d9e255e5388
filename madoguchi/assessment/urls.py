from django.urls import path

from madoguchi.assessment.views import assessments, catalogue, dashboard, profile

app_name = "assessment"

urlpatterns = [
    path("opendata/", catalogue.catalogue, name="catalogue"),
    path("opendata/<str:filename>", catalogue.open_data_csv, name="open_data_file"),
    path("districts/<slug:region>/<slug:district>/profile/", profile.profile, name="profile"),
    path("districts/<slug:region>/<slug:district>/profile/figures", profile.figure_enter,
         name="figure_enter"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export.<str:fmt>", dashboard.dashboard_export, name="dashboard_export"),
    path("dashboard/<slug:region>/<slug:district>/", dashboard.dashboard_district,
         name="dashboard_district"),
]

urlpatterns += [
    path("districts/<slug:region>/<slug:district>/assessment/", assessments.public_assessments,
         name="public_list"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>/",
         assessments.public_assessment, name="public"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>.pdf",
         assessments.public_assessment_pdf, name="public_pdf"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>/staff/",
         assessments.assessment_staff, name="staff"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>/save",
         assessments.assessment_save, name="save"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>/<slug:step>",
         assessments.assessment_step, name="step"),
]
