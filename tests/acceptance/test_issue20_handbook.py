"""Issue 20 — A handbook that keeps up with the law. "Done when": the handbook covers ≥ 125 procedures and ≥ 55 guides
with sources and states; an editor can import a national procedure list and accept proposed codes; superseding a
decree flags every record that cites it.

Walked on the Lâm Đồng demo as real users, through the login form and the pages (forms posted as they render,
redirects followed):

- the corpus: the published procedures and guides are counted, and every published record (FAQ entries too) has a
  source and a verification state; none is "verified" without the reviewer who verified it and when;
- national codes: tuphap.chuyenvien (a Sở Tư pháp expert: department experts and province admins edit the handbook
  and so may upload national lists; a commune officer may not) opens "Mã thủ tục quốc gia" from the editor's queue,
  uploads a three-line .xlsx laid out as the national portal exports it (a title line, the Vietnamese column labels,
  test codes 1.000001…1.000003, the names of three of the demo's civil-status procedures reworded), reads the
  proposals page and accepts the one whose name is not exact; only that procedure gets the code, the online level and
  the source "Danh sách TTHC quốc gia tải lên ngày …, dòng 5", and the change is in the audit log. A second file (CSV)
  with one bad line is refused whole: the line is named and nothing is stored. dilinh.canbo gets 403 on the upload;
- a change of law: the editor builds the legal-text catalogue from the records ("Lập danh mục từ nội dung cẩm nang"),
  takes the decree cited by the most records — counted here with a regex of this test's own over every text field of
  every record that is not archived, not with the app's citation reader —, checks that dilinh.canbo (commune officer)
  gets 403 on its page and on the "superseded" post, marks it superseded by a (test) successor, and then the flagged
  records are exactly the records this test found citing it: each is back to "needs verification" and its page shows
  the warning. biepphai.chuyenvien, the other Sở Tư pháp expert, ticks the flagged records of Sở Tư pháp that nobody
  edited since the flag (one was edited by tuphap.chuyenvien in between: it has no checkbox) and confirms them in one
  POST (nnmt.chuyenvien, of another department, sees no checkbox and a forged post is refused): their flags close as
  "confirmed" with reviewer and date, the records become verified by them today; the edited record's flag (and those
  of other departments' records, if any) stay open. In the demo as loaded today the decree is 07/2025/NĐ-CP, cited by
  33 records, all of Sở Tư pháp.
"""

import io
import re
import unicodedata
from collections import Counter

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from .conftest import find_form, html, login, messages_of, submit

EDITOR = "tuphap.chuyenvien"  # Sở Tư pháp expert
REVIEWER = "biepphai.chuyenvien"  # the other Sở Tư pháp expert (a second person)
OFFICER = "dilinh.canbo"  # commune officer, Xã Di Linh
OTHER_DEPARTMENT = "nnmt.chuyenvien"  # Sở Nông nghiệp và Môi trường expert
DEPARTMENT = "tu-phap"

# The national portal's export: a title line, then its column labels (line 2), then one procedure a line (3, 4, 5).
NATIONAL_HEADER = ["STT", "Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Lĩnh vực", "Mức độ DVC"]
# (our procedure, test code, how the national list writes the name, online level as the list writes it)
NATIONAL_ROWS = [
    ("HT-008", "1.000001", lambda name: f"Thủ tục {name.lower()}.", "Một phần"),  # line 3: exact once folded
    ("HT-011", "1.000002", lambda name: name.upper(), "Toàn trình"),  # line 4: exact once folded
    ("HT-014", "1.000003", lambda name: f"{name} cho cá nhân", "Một phần"),  # line 5: near, not exact
]
ACCEPTED_LINE, ACCEPTED = 5, ("HT-014", "1.000003", "mot_phan")
SUCCESSOR = "999/2026/NĐ-CP"  # a test value: no such decree is cited anywhere in the demo

# Where a record's text is not content: the editors' notes on what to check, and the app's own search index.
NOT_CONTENT = {"verification_note", "search_text", "national_code_source"}


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _log_in(client, username):
    response = login(client, username)
    assert response.status_code == 200 and response.wsgi_request.user.is_authenticated, username
    return response


# The corpus --------------------------------------------------------------------------------------------------------


@pytest.mark.clock_free
def test_the_handbook_covers_125_procedures_and_55_guides_with_sources_and_states(demo):
    from civicdesk.handbook.models import Content, Faq, Guide, Procedure

    states = set(Content.Verification.values)
    procedures, guides = Procedure.objects.published(), Guide.objects.published()
    assert procedures.count() >= 125, procedures.count()
    assert guides.count() >= 55, guides.count()
    unsourced, stateless, unnamed = [], [], []
    for model in (Procedure, Guide, Faq):
        for record in model.objects.published().select_related("verified_by"):
            label = f"{record.kind} {record.key}"
            if not record.source.strip():
                unsourced.append(label)
            if record.verification not in states:
                stateless.append(label)
            if record.verification == Content.Verification.VERIFIED and (
                record.verified_by is None or record.verified_at is None
            ):
                unnamed.append(
                    f"{label} (verified_by={record.verified_by}, verified_at={record.verified_at})"
                )
    assert unsourced == [], f"published records without a source: {unsourced}"
    assert stateless == [], f"published records without a verification state: {stateless}"
    assert unnamed == [], f"published records marked verified with no named reviewer or no date: {unnamed}"


# National codes ----------------------------------------------------------------------------------------------------


def _national_xlsx(names):
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND CẤP XÃ"])
    sheet.append(NATIONAL_HEADER)
    for number, (code, national_code, reword, online) in enumerate(NATIONAL_ROWS, 1):
        sheet.append([str(number), national_code, reword(names[code]), "Cấp xã", "Hộ tịch", online])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("tthc-ubnd-xa.xlsx", buffer.getvalue())


def _proposals(page):
    """{line: (our code, national code, score shown, has a checkbox)} of the proposals table."""
    doc = lxml.html.fromstring(html(page))
    rows = {}
    for tr in doc.xpath("//table//tbody/tr"):
        cells = tr.xpath("td")
        rows[int(cells[1].text_content().strip())] = (
            cells[2].xpath("string(a)").strip(),
            cells[3].xpath("string(strong)").strip(),
            cells[4].text_content().strip(),
            bool(cells[0].xpath('input[@type="checkbox"][@name="line"]')),
        )
    return rows


def test_an_editor_imports_the_national_list_and_accepts_a_proposed_code(client, demo):
    from civicdesk.core.models import AuditEvent, User
    from civicdesk.handbook.models import NationalList, Procedure

    targets = {p.code: p for p in Procedure.objects.filter(code__in=[row[0] for row in NATIONAL_ROWS])}
    assert len(targets) == 3
    for procedure in targets.values():  # the seed carries no guessed code
        assert procedure.department.code == DEPARTMENT and procedure.national_code == "", procedure.code
    coded_before = dict(Procedure.objects.values_list("code", "national_code"))
    lists_before = NationalList.objects.count()
    editor = User.objects.get(username=EDITOR)

    _log_in(client, EDITOR)
    queue = _page(client, "/handbook/queue/")
    assert 'href="/handbook/national-codes/"' in html(queue)
    upload_page = _page(client, "/handbook/national-codes/")
    names = {code: p.name for code, p in targets.items()}
    page = submit(client, upload_page, files={"file": _national_xlsx(names)}, contains="file")
    assert page.status_code == 200, html(page)[:2000]
    uploaded = NationalList.objects.latest("pk")
    assert NationalList.objects.count() == lists_before + 1
    assert (
        page.redirect_chain[-1][0]
        == uploaded.get_absolute_url()
        == f"/handbook/national-codes/{uploaded.pk}/"
    )
    # Uploading proposes; it writes nothing to any procedure.
    assert dict(Procedure.objects.values_list("code", "national_code")) == coded_before

    proposals = _proposals(page)
    assert proposals == {
        3: ("HT-008", "1.000001", "trùng tên", True),
        4: ("HT-011", "1.000002", "trùng tên", True),
        5: ("HT-014", "1.000003", proposals[5][2], True),
    }
    # The reworded name is proposed with its score (not as the same name), for a person to judge.
    assert proposals[5][2] != "trùng tên"
    assert "3 dòng có thủ tục gần tên, 0 dòng không khớp" in html(page)

    # The editor accepts the near proposal with its own "Chấp nhận" button.
    page = submit(client, page, button={"only": str(ACCEPTED_LINE)}, contains="line")
    assert page.status_code == 200 and page.redirect_chain[-1][0] == uploaded.get_absolute_url()
    assert "Đã ghi mã thủ tục quốc gia cho 1 thủ tục." in messages_of(page)
    code, national_code, online_level = ACCEPTED
    accepted = Procedure.objects.get(code=code)
    assert (accepted.national_code, accepted.online_level) == (national_code, online_level)
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert (
        accepted.national_code_source == f"Danh sách TTHC quốc gia tải lên ngày {day}, dòng {ACCEPTED_LINE}"
    )
    event = AuditEvent.objects.filter(object_type="handbook.procedure", object_id=str(accepted.pk)).latest(
        "pk"
    )
    assert event.actor == editor and event.changes["national_code"] == ["", national_code]
    assert event.changes["online_level"] == [targets[code].online_level, online_level]
    assert event.changes["national_code_source"] == accepted.national_code_source
    # Only the accepted line was written; the page now shows it as done, the two others still to accept.
    after = dict(Procedure.objects.values_list("code", "national_code"))
    assert after == {**coded_before, code: national_code}
    assert {line: row[3] for line, row in _proposals(page).items()} == {3: True, 4: True, 5: False}
    assert "Đã ghi" in html(page)
    assert f"Mã CSDL quốc gia {national_code}" in html(_page(client, f"/handbook/procedures/{code}/"))

    # A second file with one bad line (line 3: no code) is refused whole, the line named; nothing is stored.
    events_before = AuditEvent.objects.count()
    bad = (
        "Mã TTHC,Tên thủ tục,Mức độ DVC trực tuyến\n"
        f"1.000004,{names['HT-008']},Toàn trình\n"
        f",{names['HT-011']},Một phần\n"
        f"1.000006,{names['HT-014']},\n"
    )
    upload_page = _page(client, "/handbook/national-codes/")
    refused = submit(
        client,
        upload_page,
        files={"file": SimpleUploadedFile("tthc-loi.csv", bad.encode())},
        contains="file",
    )
    assert refused.status_code == 400
    errors = [
        " ".join(li.text_content().split())
        for li in lxml.html.fromstring(html(refused)).xpath('//div[contains(@class, "msg-error")]//li')
    ]
    assert errors == ["dòng 3: thiếu Mã thủ tục."], errors
    assert NationalList.objects.count() == lists_before + 1
    assert dict(Procedure.objects.values_list("code", "national_code")) == after
    assert AuditEvent.objects.count() == events_before

    # A commune officer may not upload a list nor read the proposals.
    _log_in(client, OFFICER)
    assert client.get("/handbook/national-codes/").status_code == 403
    assert client.get(uploaded.get_absolute_url()).status_code == 403


# A change of law ---------------------------------------------------------------------------------------------------


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _record_text(record):
    """Every text a record holds (and its pending change holds), the editors' notes and the search index aside."""
    from django.db.models import CharField, JSONField, TextField

    values = [
        getattr(record, f.name)
        for f in record._meta.concrete_fields
        if isinstance(f, CharField | TextField | JSONField) and f.name not in NOT_CONTENT
    ]
    if record.pending_revision_id:
        values += [v for k, v in record.pending_revision.data.items() if k not in NOT_CONTENT]
    return unicodedata.normalize("NFC", "\n".join(text for value in values for text in _strings(value)))


def _decree_pattern(identifier):
    """A decree "N/YYYY/NĐ-CP" as records write it: "07/2025/NĐ-CP", "7/2025/NĐ CP", "Nghị định số 7/2025" — the
    number never read inside a longer one (120/2025 is not 20/2025) nor inside a date (01/7/2025)."""
    number, year = re.fullmatch(r"0*(\d+)/(\d{4})/NĐ-CP", identifier).groups()
    cited = rf"(?<!\d)0*{number}\s*/\s*{year}(?!\d)"
    return re.compile(
        rf"{cited}\s*/\s*N[ĐD]\s*-?\s*CP|(?:nghị\s*định|\bN[ĐD])\s*(?:số\s*)?{cited}(?!\s*/)", re.IGNORECASE
    )


def _citing(records, identifier):
    pattern = _decree_pattern(identifier)
    return {key for key, text in records.items() if pattern.search(text)}


def _all_records():
    """{(kind, key): text} of every record that is not archived."""
    from civicdesk.handbook.models import Content, Faq, Guide, Procedure

    records = {}
    for model in (Procedure, Guide, Faq):
        qs = model.objects.exclude(status=Content.Status.ARCHIVED).select_related("pending_revision")
        records.update({(r.kind, r.key): _record_text(r) for r in qs})
    return records


def _flagged(legal_text, open_only=False):
    flags = legal_text.flags.all()
    if open_only:
        flags = flags.filter(resolved_at__isnull=True)
    return {(flag.record.kind, flag.record.key): flag for flag in flags}


def _record(kind, key):
    from civicdesk.handbook.records import get_model

    model = get_model(kind)
    return model.objects.get(**{"code" if kind == "procedure" else "slug": key})


def test_superseding_a_decree_flags_every_record_citing_it_and_a_reviewer_confirms(client, demo):
    from civicdesk.core.models import AuditEvent, User
    from civicdesk.handbook.models import Content, LegalFlag, LegalText

    editor, reviewer = User.objects.get(username=EDITOR), User.objects.get(username=REVIEWER)
    assert (editor.department.code, reviewer.department.code) == (DEPARTMENT, DEPARTMENT)

    # The editor builds the catalogue from what the records cite.
    _log_in(client, EDITOR)
    catalogue = _page(client, "/handbook/legal-texts/")
    page = submit(client, catalogue, action="/handbook/legal-texts/build/")
    assert page.status_code == 200 and page.redirect_chain[-1][0] == "/handbook/legal-texts/"
    assert any(m.startswith("Đã đọc ") for m in messages_of(page)), messages_of(page)

    # The decree the most records cite, counted by this test's own reading of every record.
    records = _all_records()
    decrees = [
        t.identifier
        for t in LegalText.objects.filter(kind=LegalText.Kind.DECREE)
        if re.fullmatch(r"\d+/\d{4}/NĐ-CP", t.identifier)
    ]
    counts = Counter({identifier: len(_citing(records, identifier)) for identifier in decrees})
    identifier, cited_by = min(counts.items(), key=lambda item: (-item[1], item[0]))
    expected = _citing(records, identifier)
    assert cited_by >= 10, counts.most_common(5)
    text = LegalText.objects.get(identifier=identifier)
    assert text.status == LegalText.Status.IN_FORCE and not text.flags.exists()

    # The editor finds it with the catalogue's search and opens it: the records citing it are listed.
    found = submit(client, page, {"q": identifier}, contains="q")
    assert found.status_code == 200
    links = lxml.html.fromstring(html(found)).xpath(f'//a[normalize-space()="{identifier}"]/@href')
    assert links == [text.get_absolute_url()], links
    detail = _page(client, links[0])
    listed = lxml.html.fromstring(html(detail)).xpath(
        '//section[@aria-labelledby="citing-title"]//li/span[contains(@class, "small")]/text()'
    )
    assert {key.split("·")[0].strip() for key in listed} == {key for _kind, key in expected}

    # A commune officer may not see it, nor mark it superseded.
    officer = type(client)()
    _log_in(officer, OFFICER)
    assert officer.get(text.get_absolute_url()).status_code == 403
    assert (
        officer.post(f"/handbook/legal-texts/{text.pk}/supersede/", {"successor": SUCCESSOR}).status_code
        == 403
    )
    text.refresh_from_db()
    assert text.status == LegalText.Status.IN_FORCE and not LegalFlag.objects.filter(legal_text=text).exists()

    # The editor marks it superseded, naming its successor.
    page = submit(
        client,
        detail,
        {"successor": SUCCESSOR, "note": "Kiểm thử: văn bản thay thế giả định."},
        action=f"/handbook/legal-texts/{text.pk}/supersede/",
    )
    assert page.status_code == 200 and page.redirect_chain[-1][0] == text.get_absolute_url()
    text.refresh_from_db()
    assert text.status == LegalText.Status.SUPERSEDED and text.superseded_by.identifier == SUCCESSOR
    flags = _flagged(text)
    assert set(flags) == expected, (sorted(set(flags) - expected), sorted(expected - set(flags)))
    assert (
        f"Đã ghi nhận văn bản bị thay thế; {len(expected)} nội dung trích dẫn văn bản được gắn cờ cần kiểm chứng lại."
        in messages_of(page)
    )
    warning = f"Văn bản {identifier} đã bị thay thế bởi {SUCCESSOR}."
    for kind, key in sorted(expected):
        record = _record(kind, key)
        assert record.verification == Content.Verification.NEEDS_VERIFICATION, (kind, key)
        assert warning in html(_page(client, record.get_absolute_url())), (kind, key)
    audited = AuditEvent.objects.filter(action="update", changes__legal_text=identifier)
    assert {(e.object_type.split(".")[1], e.actor) for e in audited} <= {
        (kind, editor) for kind in ("procedure", "guide", "faq")
    }
    assert audited.count() == len(expected)

    # The flagged records of Sở Tư pháp; the editor edits one of them after the flag (it must be reviewed apart).
    ours = {key for key, flag in flags.items() if getattr(flag.record.department, "code", "") == DEPARTMENT}
    edited = next(key for key in sorted(ours) if key[0] == "procedure")
    form_page = _page(client, f"/handbook/procedures/{edited[1]}/edit/")
    notes = find_form(form_page, contains="notes").fields["notes"]
    saved = submit(
        client,
        form_page,
        {"notes": f"{notes}\nĐối chiếu {SUCCESSOR} (kiểm thử).", "note": "Sửa sau khi văn bản bị thay thế"},
        contains="notes",
    )
    assert saved.status_code == 200 and saved.redirect_chain[-1][0] == f"/handbook/procedures/{edited[1]}/"

    # Another department's expert may confirm none of them: no checkbox, and a forged post writes nothing.
    other = type(client)()
    _log_in(other, OTHER_DEPARTMENT)
    their_page = _page(other, text.get_absolute_url())
    assert not lxml.html.fromstring(html(their_page)).xpath('//input[@name="flag"]')
    forged = other.post(
        f"/handbook/legal-texts/{text.pk}/confirm/", {"flag": [flags[edited].pk]}, follow=True
    )
    assert any("chỉ chuyên viên của sở, ngành chịu trách nhiệm" in m for m in messages_of(forged))
    assert set(_flagged(text, open_only=True)) == expected

    # The other Sở Tư pháp expert ticks every record they may confirm and confirms them in one POST.
    assert len(ours) >= 2
    _log_in(client, REVIEWER)
    page = _page(client, text.get_absolute_url())
    boxes = lxml.html.fromstring(html(page)).xpath('//input[@type="checkbox"][@name="flag"]/@value')
    unchanged = ours - {edited}
    assert sorted(map(int, boxes)) == sorted(flags[key].pk for key in unchanged)
    assert "Đã sửa sau khi gắn cờ" in html(page)
    confirmed = submit(
        client, page, {"flag": boxes, "note": f"Đã đối chiếu với {SUCCESSOR} (kiểm thử)."}, contains="flag"
    )
    assert confirmed.status_code == 200 and confirmed.redirect_chain[-1][0] == text.get_absolute_url()
    assert f"Đã xác nhận {len(unchanged)} nội dung vẫn đúng sau khi văn bản thay đổi." in messages_of(
        confirmed
    ), messages_of(confirmed)
    today = timezone.localdate()
    for key in sorted(unchanged):
        flag = LegalFlag.objects.get(pk=flags[key].pk)
        assert flag.resolution == LegalFlag.Resolution.CONFIRMED and flag.resolved_by == reviewer, key
        assert timezone.localdate(flag.resolved_at) == today, key
        record = _record(*key)
        assert record.verification == Content.Verification.VERIFIED and record.verified_by == reviewer, key
        assert timezone.localdate(record.verified_at) == today, key
        assert record.verification_note.startswith(f"Vẫn đúng sau khi văn bản {identifier} bị thay thế"), key
    # The edited record and the other departments' records keep their flags open, still to verify.
    still_open = set(_flagged(text, open_only=True))
    assert still_open == expected - unchanged, sorted(still_open)
    for key in still_open:
        assert _record(*key).verification == Content.Verification.NEEDS_VERIFICATION, key
