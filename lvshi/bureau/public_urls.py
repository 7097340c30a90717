"""The public lookup (A12), without signing in: ``/lookup/``."""

from django.urls import path

from .views import cases, public

app_name = "lookup"

urlpatterns = [
    path("", public.lookup, name="lookup"),
    path("progress/<str:code>/", public.progress, name="progress"),
    path("letters/<str:code>/", cases.letter_check, name="letter"),
]
