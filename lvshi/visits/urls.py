from django.urls import path

from .views import booking

app_name = "visits"

urlpatterns = [
    path("book/", booking.book, name="book"),
    path("bookings/", booking.my_bookings, name="my_bookings"),
    path("bookings/<int:booking_id>/cancel/", booking.cancel, name="cancel"),
    path("review/", booking.review_queue, name="review_queue"),
    path("review/<int:booking_id>/approve/", booking.approve, name="approve"),
    path("review/<int:booking_id>/reject/", booking.reject, name="reject"),
]
