"""Access rules of the laws library (see tests/access.py): all public."""

from tests.access import PUBLIC, Access

PAGES = {
    "laws:index": Access(PUBLIC),
    "laws:law": Access(PUBLIC),
}

API = {
    "GET /api/v1/laws": Access(PUBLIC),
    "GET /api/v1/laws/{law_id}": Access(PUBLIC),
}
