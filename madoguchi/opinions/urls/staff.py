from django.urls import path

from madoguchi.opinions.views import staff

app_name = "opinions"

C = "<uuid:consultation>/"

urlpatterns = [
    path("", staff.consultation_list, name="list"),
    path("new/", staff.consultation_create, name="create"),
    path(C, staff.consultation_detail, name="detail"),
    path(C + "open/", staff.consultation_open, name="open"),
    path(C + "documents/", staff.document_add, name="document_add"),
    path(C + "categories/", staff.category_add, name="category_add"),
    path(C + "categories/<int:category>/remove/", staff.category_remove,
         name="category_remove"),
    path(C + "opinions/new/", staff.opinion_enter, name="enter"),
    path(C + "opinions/<uuid:opinion>/", staff.opinion_detail, name="opinion"),
    path(C + "opinions/<uuid:opinion>/original/", staff.opinion_original, name="original"),
    path(C + "items/<int:item>/sort/", staff.item_sort, name="item_sort"),
    path(C + "items/<int:item>/remove/", staff.item_remove, name="item_remove"),
    path(C + "sorting/", staff.sorting, name="sorting"),
    path(C + "groups/<int:group>/", staff.group_answer, name="group"),
    path(C + "tally/", staff.tally, name="tally"),
    path(C + "tally.csv", staff.tally_csv, name="tally_csv"),
    path(C + "tally.pdf", staff.tally_print, name="tally_pdf"),
    path(C + "publish/", staff.publish, name="publish"),
    path("surveys/", staff.survey_list, name="surveys"),
    path("surveys/new/", staff.survey_create, name="survey_create"),
    path("surveys/<uuid:survey>/", staff.survey_results, name="survey"),
    path("surveys/<uuid:survey>/responses.csv", staff.survey_csv, name="survey_csv"),
]
