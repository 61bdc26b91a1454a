"""The pool's free-text languages move to community's language model (staffing 0004), and back.

On a new empty database (the fixture of tests/test_migrations.py): members written with the old `languages` list
at 0003, migrated forward, then back.
"""

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from tests.test_migrations import empty_database  # noqa: F401  (the fixture, used by name below)

BEFORE = [("staffing", "0003_language_access")]
AFTER = [("staffing", "0004_pool_languages_to_community")]


def _migrate(targets):
    """Migrate the empty database to `targets`; the models as they are there."""
    executor = MigrationExecutor(connections["default"])
    return executor.migrate(targets).apps


@pytest.mark.usefixtures("empty_database")
def test_the_languages_become_a_pool_person_and_come_back():
    old = _migrate(BEFORE)
    province = old.get_model("geo", "Province").objects.create(code=68, name="Lâm Đồng", codename="lam_dong")
    department = old.get_model("core", "Department").objects.create(
        province=province, code="tu-phap", name="Sở Tư pháp"
    )
    member = old.get_model("staffing", "StaffMember")
    common = {
        "province": province,
        "department": department,
        "fields": ["ho_tich"],
        "home_lat": 11.9,
        "home_lon": 108.4,
    }
    member.objects.create(
        code="TP1", full_name="Lê Hoa", languages=["Tiếng Việt", "K'Ho", "kpm", "Tiếng Klingon"], **common
    )
    member.objects.create(code="TP2", full_name="Hồ An", languages=[], **common)
    member.objects.create(code="TP3", full_name="Ka Sen", languages=["English"], is_active=False, **common)

    new = _migrate(AFTER)
    staff = {m.code: m for m in new.get_model("staffing", "StaffMember").objects.all()}
    language = new.get_model("community", "PersonLanguage")
    hoa = staff["TP1"].person
    assert (hoa.kind, hoa.province_id, hoa.commune_id, hoa.full_name) == ("pool", province.pk, None, "Lê Hoa")
    rows = language.objects.filter(person=hoa).order_by("-is_preferred", "code")
    assert [(r.code, r.is_preferred) for r in rows] == [("vie", True), ("kpm", False)]
    assert "Tiếng Klingon" in hoa.note  # what no rule reads is kept
    assert staff["TP2"].person_id is None  # no language, no Person
    sen = staff["TP3"].person
    assert sen.is_active is False and list(
        language.objects.filter(person=sen).values_list("code", flat=True)
    ) == ["eng"]

    back = _migrate(BEFORE)
    staff = {m.code: m for m in back.get_model("staffing", "StaffMember").objects.all()}
    assert staff["TP1"].languages == ["Tiếng Việt", "K'Ho (Cơ Ho)", "Tiếng Klingon"]
    assert staff["TP3"].languages == ["Tiếng Anh"] and staff["TP2"].languages == []
    assert staff["TP1"].person_id is None and not back.get_model("community", "Person").objects.exists()
