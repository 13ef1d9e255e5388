from django.urls import path

from madoguchi.assessment import views

app_name = "assessment"

urlpatterns = [
    path("opendata/", views.catalogue, name="catalogue"),
    path("opendata/<str:filename>", views.open_data_csv, name="open_data_file"),
    path("districts/<slug:region>/<slug:district>/profile/", views.profile, name="profile"),
    path("districts/<slug:region>/<slug:district>/profile/figures", views.figure_enter,
         name="figure_enter"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("dashboard/<slug:region>/<slug:district>/", views.dashboard_district,
         name="dashboard_district"),
]

urlpatterns += [
    path("districts/<slug:region>/<slug:district>/assessment/", views.public_assessments,
         name="public_list"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>/",
         views.public_assessment, name="public"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>.pdf",
         views.public_assessment_pdf, name="public_pdf"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>/staff/",
         views.assessment_staff, name="staff"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>/save",
         views.assessment_save, name="save"),
    path("districts/<slug:region>/<slug:district>/assessment/<int:year>/<slug:step>",
         views.assessment_step, name="step"),
]
