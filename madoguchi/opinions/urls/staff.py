from django.urls import path

from madoguchi.opinions.views.staff import consultations, opinions, results, sorting, surveys

app_name = "opinions"

C = "<uuid:consultation>/"

urlpatterns = [
    path("", consultations.consultation_list, name="list"),
    path("new/", consultations.consultation_create, name="create"),
    path(C, consultations.consultation_detail, name="detail"),
    path(C + "open/", consultations.consultation_open, name="open"),
    path(C + "documents/", consultations.document_add, name="document_add"),
    path(C + "categories/", consultations.category_add, name="category_add"),
    path(C + "categories/<int:category>/remove/", consultations.category_remove,
         name="category_remove"),
    path(C + "opinions/new/", opinions.opinion_enter, name="enter"),
    path(C + "opinions/<uuid:opinion>/", opinions.opinion_detail, name="opinion"),
    path(C + "opinions/<uuid:opinion>/original/", opinions.opinion_original, name="original"),
    path(C + "items/<int:item>/sort/", sorting.item_sort, name="item_sort"),
    path(C + "items/<int:item>/remove/", sorting.item_remove, name="item_remove"),
    path(C + "sorting/", sorting.sorting, name="sorting"),
    path(C + "groups/<int:group>/", sorting.group_answer, name="group"),
    path(C + "tally/", results.tally, name="tally"),
    path(C + "tally.csv", results.tally_csv, name="tally_csv"),
    path(C + "tally.pdf", results.tally_print, name="tally_pdf"),
    path(C + "publish/", results.publish, name="publish"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/new/", surveys.survey_create, name="survey_create"),
    path("surveys/<uuid:survey>/", surveys.survey_results, name="survey"),
    path("surveys/<uuid:survey>/responses.csv", surveys.survey_csv, name="survey_csv"),
]
