from django.urls import path

from madoguchi.news import views

app_name = "news"

urlpatterns = [
    path("", views.index, name="index"),
    path("d/<slug:region>/<slug:code>/", views.district_list, name="district"),
    path("p/<uuid:post>/", views.post_page, name="post"),
    path("p/<uuid:post>/image", views.image, name="image"),
    path("feed/rss/", views.NewsFeed(), name="rss"),
    path("feed/atom/", views.NewsAtomFeed(), name="atom"),
    path("d/<slug:region>/<slug:code>/feed/rss/", views.NewsFeed(), name="district_rss"),
    path("d/<slug:region>/<slug:code>/feed/atom/", views.NewsAtomFeed(),
         name="district_atom"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("line/webhook", views.line_webhook, name="line_webhook"),
    # Staff.
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.edit, name="create"),
    path("staff/<int:pk>/", views.staff_post, name="staff_post"),
    path("staff/<int:pk>/edit/", views.edit, name="edit"),
    path("staff/<int:pk>/<slug:step>", views.step, name="step"),
    path("staff/delivery/", views.delivery, name="delivery"),
    path("staff/delivery/<int:pk>/retry", views.outbox_retry, name="outbox_retry"),
    path("staff/line/audiences/", views.line_audiences, name="line_audiences"),
    path("staff/line/audiences/<int:district>/", views.line_audience, name="line_audience"),
    path("staff/line/inquiries/", views.inquiries, name="inquiries"),
]
