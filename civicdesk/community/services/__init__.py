"""Every write of language access: people and their languages (people.py), accompaniment requests (visits.py)."""

from .people import (
    EXAMPLE_CSV,
    IMPORT_COLUMNS,
    ImportReport,
    delete_language,
    import_people,
    replace_languages,
    save_language,
    save_person,
)
from .visits import (
    RESPONSE_WORKING_DAYS,
    assign,
    assign_week,
    cancel,
    record_visit,
    request_accompaniment,
    respond,
)

__all__ = [
    "EXAMPLE_CSV",
    "IMPORT_COLUMNS",
    "RESPONSE_WORKING_DAYS",
    "ImportReport",
    "assign",
    "assign_week",
    "cancel",
    "delete_language",
    "import_people",
    "record_visit",
    "replace_languages",
    "request_accompaniment",
    "respond",
    "save_language",
    "save_person",
]
