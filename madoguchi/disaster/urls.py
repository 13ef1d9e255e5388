from django.urls import path

from madoguchi.disaster.views import declarations, district, home, registry, safety, shelters

app_name = "disaster"

urlpatterns = [
    path("districts/<slug:region>/<slug:code>/", district.district, name="district"),
    path("shelters/", shelters.open_shelters, name="open_shelters"),
    path("shelters/open.json", shelters.open_shelters_json, name="open_shelters_json"),
    path("staff/shelters/", shelters.shelter_list, name="shelter_list"),
    path("staff/shelters/<slug:code>/", shelters.shelter_operate, name="shelter_operate"),
    path("staff/shelters/<slug:code>/edit/", shelters.shelter_edit, name="shelter_edit"),
    path("staff/registry/", registry.registry_list, name="registry_list"),
    path("staff/registry/<int:pk>/", registry.registry_entry, name="registry_entry"),
    path("staff/registry/<int:pk>/plan.pdf", registry.plan_pdf, name="plan_pdf"),
    path("staff/registry/<int:pk>/consent/", registry.registry_consent,
         name="registry_consent"),
    path("staff/registry/register/<uuid:public_id>/", registry.registry_register,
         name="registry_register"),
    path("home/", home.home_register, name="home_register"),
    path("staff/home-evacuees/", home.home_list, name="home_list"),
    path("staff/phone-sw.js", safety.phone_worker, name="phone_worker"),
    path("staff/campaigns/", safety.campaigns, name="campaigns"),
    path("staff/campaigns/open/", safety.campaign_open, name="campaign_open"),
    path("staff/campaigns/drill/", safety.drill_start, name="drill_start"),
    path("staff/campaigns/<int:pk>/end-drill/", safety.drill_end, name="drill_end"),
    path("staff/campaigns/<int:pk>/phone/", safety.phone, name="campaign_phone"),
    path("staff/campaigns/<int:pk>/", safety.progress, name="campaign_progress"),
    path("staff/campaigns/<int:pk>/records", safety.records, name="campaign_records"),
    path("staff/mode/", declarations.mode, name="mode"),
    path("staff/mode/<int:pk>/confirm/", declarations.confirm, name="mode_confirm"),
    path("staff/mode/<int:pk>/end/", declarations.end, name="mode_end"),
]
