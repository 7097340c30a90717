from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("", views.month, name="month"),
    path("closures/", views.closures, name="closures"),
    path("closures/<int:pk>/delete/", views.closure_delete, name="closure_delete"),
    path("mine/", views.schedule, name="schedule"),
    path("mine/entries/new/", views.entry_edit, name="entry_new"),
    path("mine/entries/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
