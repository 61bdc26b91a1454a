"""Citizens' personal data as the apps hold it, in plain data: what the privacy app needs from each app that holds
such data, without importing it (Law on Personal Data Protection 91/2025/QH15, Decree 356/2025/NĐ-CP).

Each app that keeps names, CCCD numbers, phone numbers, addresses of citizens registers one `PersonalDataSource` per
kind of record in its `AppConfig.ready()` (`registry.add_personal_data`). The privacy app, a layer under them, reads
the sources for the record of processing activities (purpose, legal basis, categories, recipients, retention), runs
their `pseudonymise` past the province's retention, and answers data-subject requests through `find`, `restrict`,
`correct` and `erase`. Sources take and return only the plain data below; each writes through its own app's
services (permission check, transaction, audit).

Also here, because every layer needs them: `mask()` (CCCD numbers, Vietnamese mobile numbers and e-mail addresses in
free text: the log filter, the scrubbing of free-text fields) and `pseudonym()` (one stable stand-in per person).
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings

# A CCCD (căn cước) number: 12 digits, not part of a longer number.
CCCD_IN_TEXT = re.compile(r"(?<!\d)\d{12}(?!\d)")
# A Vietnamese mobile number as people write it: 0912345678, 0912 345 678, 0912.345.678, +84 912 345 678,
# 84912345678 (mobile prefixes 3, 5, 7, 8, 9 after the 0 or the country code).
PHONE_IN_TEXT = re.compile(r"(?<![\d+])(?:\+84|84|0)[ .\-]?[35789](?:[ .\-]?\d){8}(?!\d)")
EMAIL_IN_TEXT = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
MASKS = ((EMAIL_IN_TEXT, "[email]"), (PHONE_IN_TEXT, "[phone]"), (CCCD_IN_TEXT, "[cccd]"))
# What the free-text fields of a pseudonymised record show where a number or an address was.
HIDDEN = "[đã ẩn]"


def mask(text, token=None):
    """`text` with every e-mail address, Vietnamese mobile number and 12-digit CCCD number replaced.

    `token` None: by a marker naming what was there ("[email]", "[phone]", "[cccd]", for logs); else by `token`.
    Names cannot be found this way: fields that hold a name are blanked or pseudonymised by their owner.
    """
    if not text or not isinstance(text, str):
        return text
    for pattern, marker in MASKS:
        text = pattern.sub(token or marker, text)
    return text


def national_phone(text):
    """ "0912345678" for any spelling of a Vietnamese number ("+84 912 345 678", "84912345678"); "" otherwise."""
    text = (text or "").strip()
    digits = re.sub(r"\D", "", text)
    if digits.startswith("84") and (text.startswith("+") or len(digits) == 11):
        digits = "0" + digits[2:]
    return digits if re.fullmatch(r"0\d{9}", digits) else ""


def phone_spellings(national):
    """The spellings the apps store one number in: national ("0912345678") and E.164 ("+84912345678")."""
    if not national:
        return ()
    return (national, "+84" + national[1:])


def _key():
    secret = getattr(settings, "PRIVACY_PSEUDONYM_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(f"civicdesk.privacy.pseudonym:{secret}".encode()).digest()


def pseudonym(identifier):
    """A stable stand-in for a person ("Ẩn danh 3F9A2C1B7E"): the same CCCD (or phone) gives the same pseudonym in
    every app, so counts of distinct people survive; without the key (PRIVACY_PSEUDONYM_KEY, else derived from
    SECRET_KEY) it cannot be turned back into the number. Pass `subject_identifier(...)`."""
    digest = hmac.new(_key(), str(identifier).encode(), hashlib.sha256).hexdigest()[:10].upper()
    return f"Ẩn danh {digest}"


def subject_identifier(id_number="", phone="", fallback=""):
    """What a pseudonym is computed from: the CCCD, else the national phone number, else `fallback` (a record's own
    reference, so that people without either number do not all share one pseudonym)."""
    id_number = (id_number or "").strip()
    if re.fullmatch(r"\d{12}", id_number):
        return f"cccd:{id_number}"
    phone = national_phone(phone)
    if phone:
        return f"phone:{phone}"
    return f"record:{fallback}"


@dataclass(frozen=True)
class PersonKey:
    """Whom a data-subject request is about: a CCCD number and/or a phone number (national form), either may be ""."""

    id_number: str = ""
    phone: str = ""

    def __bool__(self):
        return bool(self.id_number or self.phone)

    @property
    def phones(self):
        return phone_spellings(self.phone)

    def match(self, id_number="", phone=""):
        """How a record holding `id_number` and `phone` matches: "id_number", "phone" or "" (not this person).

        A record with another CCCD is another person even when the phone is the same (a family shares a phone)."""
        id_number = (id_number or "").strip()
        if self.id_number and id_number:
            return "id_number" if id_number == self.id_number else ""
        if self.phone and national_phone(phone) == self.phone:
            return "phone"
        return ""


@dataclass(frozen=True)
class HeldRecord:
    """One record an app holds about a person, as an officer and the person's export see it.

    `id` is the source's own reference for the record ("12", "target:12"); the privacy app hands it back to the
    source's `restrict`, `correct` and `erase`. `fields`: ((label, value), …), the personal data as held (value a str,
    date, datetime, number or bool). `hold`: why the record must be kept when the person asks for erasure ("" when
    it may be erased now). `matched_by`: "id_number" or "phone" (`PersonKey.match`).
    """

    source: str
    id: str
    reference: str
    commune_id: int | None
    when: date | datetime | None
    status: str
    fields: tuple
    matched_by: str
    url: str = ""
    hold: str = ""
    restricted: bool = False
    pseudonymised: bool = False
    correctable: bool = False


@dataclass(frozen=True)
class Erasure:
    """What an erasure did: how many records were pseudonymised, and those kept with the reason (plain words)."""

    erased: int = 0
    kept: tuple = ()  # ((reference, reason), …)


# What a correction may change, whatever the app calls the field.
CORRECTABLE = ("full_name", "id_number", "phone")


@dataclass(frozen=True)
class PersonalDataSource:
    """One kind of record holding citizens' personal data, registered by the app that owns it.

    Described for the record of processing activities: `subjects`, `purpose`, `legal_basis`, `categories`,
    `recipients` (tuples of words), `kept` (what stays after pseudonymisation, for statistics), `closed_when` (when
    the retention clock starts), `default_months` (a proposal: the province admin sets the figure), `erasure` (what
    erasing does and what the law makes the app keep).

    Callables (the actor first; each writes through its app's services and audits counts, never values):
    - `due(province_id, cutoff)` → how many records closed before `cutoff` are not pseudonymised yet;
    - `pseudonymise(actor, province_id, cutoff, limit)` → how many it pseudonymised (at most `limit`; 0 = done);
    - `find(actor, key)` → [HeldRecord] about the person `key` (PersonKey) that `actor` may see;
    - `erase(actor, key, ids)` → Erasure, for those of `ids` that still match `key`;
    - `restrict(actor, key, ids, restricted)` → how many records changed, or None when restriction does not apply;
    - `correct(actor, key, ids, data)` → how many records changed (`data`: CORRECTABLE → new value), or None;
    - `holds_people(person_ids)` → the ids of `community.Person` rows this app's live records still need (the
      retention job keeps those people), or None.
    """

    key: str
    label: str
    order: int
    subjects: str
    purpose: str
    legal_basis: str
    categories: tuple
    recipients: tuple
    kept: tuple
    closed_when: str
    default_months: int
    erasure: str
    due: object
    pseudonymise: object
    find: object
    erase: object
    restrict: object = None
    correct: object = None
    holds_people: object = None
    notes: tuple = field(default=())


def record_ids(ids, prefix=""):
    """The integer primary keys among a source's record ids ("12", or "target:12" with `prefix` "target:")."""
    found = []
    for value in ids:
        value = str(value)
        if prefix:
            if not value.startswith(prefix):
                continue
            value = value[len(prefix) :]
        if value.isdigit():
            found.append(int(value))
    return found
