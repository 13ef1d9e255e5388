from django.urls import path

from madoguchi.guidance.views import entries, learning, resident, staff, synonyms

app_name = "guidance"

urlpatterns = [
    # Residents (public).
    path("guide/", resident.guide, name="guide"),
    path("guide/feedback/", resident.feedback, name="feedback"),
    # Staff.
    path("guidance/", staff.staff_search, name="staff_search"),
    path("guidance/entries/", entries.entry_list, name="entries"),
    path("guidance/entries/new/", entries.entry_create, name="entry_create"),
    path("guidance/entries/<slug:code>/", entries.entry_detail, name="entry"),
    path("guidance/entries/<slug:code>/edit/", entries.entry_edit, name="entry_edit"),
    path("guidance/entries/<slug:code>/status/", entries.entry_move, name="entry_move"),
    path("guidance/synonyms/", synonyms.synonym_list, name="synonyms"),
    path("guidance/synonyms/new/", synonyms.synonym_edit, name="synonym_create"),
    path("guidance/synonyms/<int:pk>/", synonyms.synonym_edit, name="synonym_edit"),
    path("guidance/synonyms/<int:pk>/delete/", synonyms.synonym_delete, name="synonym_delete"),
    path("guidance/learning/", learning.learning, name="learning"),
    path("guidance/learning/dismiss/", learning.learning_dismiss, name="learning_dismiss"),
]
