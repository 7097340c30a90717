"""The site's URLs and one that crashes, for the 500 page's tests."""

from django.urls import path

from lvshi.urls import urlpatterns as site_urlpatterns


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("crash/", crash), *site_urlpatterns]
