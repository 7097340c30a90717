from django.urls import path

from .views import booking
from .views import lockouts, violations

app_name = "visits"

urlpatterns = [
    path("book/", booking.book, name="book"),
    path("bookings/", booking.my_bookings, name="my_bookings"),
    path("bookings/<int:booking_id>/cancel/", booking.cancel, name="cancel"),
    path("review/", booking.review_queue, name="review_queue"),
    path("review/<int:booking_id>/approve/", booking.approve, name="approve"),
    path("review/<int:booking_id>/reject/", booking.reject, name="reject"),
    path("violations/", violations.violations, name="violations"),
    path("violations/<int:violation_id>/appeal/", violations.appeal, name="violation_appeal"),
    path("appeals/", lockouts.appeals, name="appeals"),
    path("appeals/<int:appeal_id>/decide/", lockouts.appeal_decide, name="appeal_decide"),
    path("locks/", lockouts.locks, name="locks"),
    path("locks/<int:lock_id>/lift/", lockouts.lock_lift, name="lock_lift"),
]
