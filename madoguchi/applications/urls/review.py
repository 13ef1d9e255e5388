"""URLs of the applications context (namespace `review`): the section's review pages."""

from django.urls import path

from madoguchi.applications.views.review import pages

app_name = "review"

urlpatterns: list = [
    path("", pages.inbox, name="inbox"),
    path("overdue/", pages.overdue, name="overdue"),
    path("print-queue/", pages.print_queue, name="print_queue"),
    path("print-queue/<uuid:notice_id>/printed/", pages.printed, name="printed"),
    path("export/", pages.export_page, name="export"),
    path("notices/<uuid:notice_id>/", pages.notice_file, name="notice_file"),
    path("<uuid:public_id>/", pages.detail, name="detail"),
    path("<uuid:public_id>/attachments/<int:attachment_id>/", pages.attachment,
         name="attachment"),
    path("<uuid:public_id>/checklist/", pages.checklist, name="checklist"),
    path("<uuid:public_id>/transition/", pages.transition, name="transition"),
    path("<uuid:public_id>/notice/", pages.notice_create, name="notice_create"),
]
