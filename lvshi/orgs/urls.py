from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/children/new/", views.organisation_create_child, name="create_child"),
    path("<int:pk>/staff/new/", views.staff_create, name="staff_create"),
    path("members/<int:pk>/", views.membership_edit, name="member_edit"),
    path("members/<int:pk>/deactivate/", views.membership_deactivate, name="member_deactivate"),
    path("members/<int:pk>/activate/", views.membership_activate, name="member_activate"),
    path("members/<int:pk>/activation-link/", views.membership_activation_link, name="member_activation_link"),
    path("activate/<uidb64>/<token>/", views.activate, name="activate"),
]
