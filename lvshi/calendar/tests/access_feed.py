"""Access rules of the private calendar feed (see tests/access.py).

The feed itself is public: its secret URL is the permission, and an unknown
or reset token answers 404 (``test_feed.py``)."""

from tests.access import API_TOKEN, LOGIN, PUBLIC, Access

PAGES = {
    "calendar:feed": Access(PUBLIC),
    "calendar:schedule": Access(LOGIN, denied=("officer", "authority_officer", "judge", "bureau_clerk")),
}

API = {
    "GET /api/v1/calendar/events": Access(API_TOKEN, denied=("officer", "judge")),
    "POST /api/v1/calendar/feed-token": Access(API_TOKEN, denied=("officer", "judge")),
    "DELETE /api/v1/calendar/feed-token": Access(API_TOKEN),
}
