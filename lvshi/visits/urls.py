from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("book/", views.book, name="book"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:booking_id>/approve/", views.approve, name="approve"),
    path("review/<int:booking_id>/reject/", views.reject, name="reject"),
]
