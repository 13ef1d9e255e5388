"""URLs of the applications context (namespace `review`): the section's review pages."""

from django.urls import path

from madoguchi.applications import review_views

app_name = "review"

urlpatterns: list = [
    path("", review_views.inbox, name="inbox"),
    path("overdue/", review_views.overdue, name="overdue"),
    path("print-queue/", review_views.print_queue, name="print_queue"),
    path("print-queue/<uuid:notice_id>/printed/", review_views.printed, name="printed"),
    path("export/", review_views.export_page, name="export"),
    path("notices/<uuid:notice_id>/", review_views.notice_file, name="notice_file"),
    path("<uuid:public_id>/", review_views.detail, name="detail"),
    path("<uuid:public_id>/attachments/<int:attachment_id>/", review_views.attachment,
         name="attachment"),
    path("<uuid:public_id>/checklist/", review_views.checklist, name="checklist"),
    path("<uuid:public_id>/transition/", review_views.transition, name="transition"),
    path("<uuid:public_id>/notice/", review_views.notice_create, name="notice_create"),
]
