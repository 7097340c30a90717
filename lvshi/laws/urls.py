from django.urls import path

from . import views

app_name = "laws"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:law_id>/", views.law, name="law"),
]
