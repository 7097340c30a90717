"""Access rules of the public availability and totals, the records and the
statistics (see ``tests/access.py``)."""

from tests.access import API_TOKEN, LOGIN, PUBLIC, Access

NOT_STAFF = ("judge", "bureau_clerk")
NOT_AUTHORITY = ("lawyer", "officer", "judge", "bureau_clerk")

PAGES = {
    "visits:public_availability": Access(PUBLIC),
    "visits:records": Access(LOGIN, denied=NOT_STAFF),
    "visits:records_export": Access(LOGIN, denied=NOT_STAFF),
    "visits:stats": Access(LOGIN, denied=NOT_AUTHORITY),
    "visits:stats_export": Access(LOGIN, denied=NOT_AUTHORITY),
}

API = {
    "GET /api/v1/visits/totals": Access(PUBLIC),
    "GET /api/v1/visits/records": Access(API_TOKEN, denied=NOT_STAFF),
    "GET /api/v1/visits/stats": Access(API_TOKEN, denied=NOT_AUTHORITY),
}
