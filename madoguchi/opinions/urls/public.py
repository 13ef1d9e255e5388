from django.urls import path

from madoguchi.opinions.views import public

app_name = "pubcom"

urlpatterns = [
    path("", public.index, name="index"),
    path("c/<uuid:consultation>/", public.consultation_page, name="consultation"),
    path("c/<uuid:consultation>/thanks/<int:number>/", public.thanks, name="thanks"),
    path("c/<uuid:consultation>/documents/<int:document>/", public.document, name="document"),
    path("c/<uuid:consultation>/result/", public.result, name="result"),
    path("c/<uuid:consultation>/result.pdf", public.result_print, name="result_pdf"),
    path("surveys/<uuid:survey>/", public.survey_page, name="survey"),
]
