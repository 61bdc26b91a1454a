"""Navigation entries and home-page panels that each app contributes in its AppConfig.ready().

Keeping these in one registry lets each domain app own its own menu item and dashboard card, so core never
imports the apps that build on it. It lives in the kernel so that geo, under core, registers its own entries too.

It also carries the hand-offs between sibling apps that may not import each other (the import-linter layers): the
mobile team announces a trip to the hamlets' citizens through whatever app registered an `Announcer` (outreach
does), passing only the plain data below (`VisitAnnouncement`) and reading back plain data (`AnnouncementPreview`,
`AnnouncementState`). No announcer registered: the mobile team's pages simply offer no announcement.

The apps that hold citizens' personal data describe each kind of record to the privacy app the same way
(`add_personal_data`, `kernel.personal_data.PersonalDataSource`), and pages that belong in the user menu rather
than the crowded main menu are added with `add_user_link`.
"""

from dataclasses import dataclass, field
from datetime import date, time
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset | None = None  # None: every signed-in user
    order: int = 100
    staff_only: bool = False


@dataclass(frozen=True)
class Panel:
    """A home-page card: `build(request)` returns a context dict, or None to hide the card for this user."""

    template: str
    build: object
    roles: frozenset | None = None
    order: int = 100


@dataclass(frozen=True)
class Escalation:
    """Where a question the handbook could not settle goes (the hotline registers its intake page)."""

    url_name: str
    allowed: object  # allowed(user) -> bool: who may escalate


@dataclass(frozen=True)
class AnnouncedStop:
    """One hamlet of a visit: when the team is there (`start`–`end`, local time) and where (free text, may be "")."""

    hamlet_id: int
    hamlet: str
    start: time
    end: time
    place: str = ""


@dataclass(frozen=True)
class VisitAnnouncement:
    """What a team's visit to some hamlets of a commune means for their citizens, as plain data.

    `key` names the visit for good ("mobile.trip:12"): announcing the same key again tells nobody twice; a changed
    day or time of a hamlet makes a correction for the citizens already told. `bring` is what to bring, in words (the
    announcer adds the ID card).
    """

    key: str
    commune_id: int
    title: str
    day: date
    stops: tuple  # of AnnouncedStop
    procedures: tuple = ()  # procedure names, in the citizens' words
    procedure_codes: tuple = ()  # their handbook codes (a dossier of one of them, filed later, is the visit's result)
    bring: str = ""


@dataclass(frozen=True)
class AnnouncementPreview:
    """Who an announcement would reach and how, before anything is sent.

    `by_hamlet`: [{"hamlet", "message", "to_message", "to_correct", "to_call", "already", "no_contact"}];
    `people`: [{"name", "hamlet", "channel", "action"}] — only for readers who may see the names (else empty);
    `refusals`: why it cannot be sent now (empty: it can); `sms_limit`: the longest message allowed, in characters.
    """

    by_hamlet: list
    people: list
    refusals: list
    totals: dict
    sms_limit: int


@dataclass(frozen=True)
class AnnouncementState:
    """What became of an announcement: counts of citizens, the campaign's page (for readers who may open it)."""

    announced_at: object
    day: date
    reached: int  # messages sent or delivered
    queued: int
    failed: int
    to_call: int  # listed for a phone call, no message
    no_contact: int  # citizens of the hamlets with no channel open (no consent, do-not-contact, no phone)
    stale: bool  # the day or a hamlet's time changed since: a correction is due
    campaign_url: str = ""


@dataclass(frozen=True)
class Announcer:
    """An app that tells citizens of a commune's hamlets about a visit (outreach registers one).

    `can_announce(user, commune_id)`; `preview(user, announcement, at=None)` → AnnouncementPreview;
    `announce(user, announcement, at=None)` → AnnouncementState (raises PermissionDenied / ValidationError);
    `state(user, announcement)` → AnnouncementState or None when never announced; `reached_among(key, people)`
    → how many of `people` ([(CCCD, phone)]) the announcement reached.
    """

    can_announce: object
    preview: object
    announce: object
    state: object
    reached_among: object


@dataclass
class Registry:
    nav: list = field(default_factory=list)
    panels: list = field(default_factory=list)
    demo_loaders: list = field(default_factory=list)
    escalation: Escalation | None = None
    announcer: Announcer | None = None
    personal_data: dict = field(default_factory=dict)
    user_links: list = field(default_factory=list)

    def add_personal_data(self, source):
        """An app describes a kind of record holding citizens' personal data (`PersonalDataSource`); one per key."""
        self.personal_data[source.key] = source

    def personal_data_sources(self):
        """The registered sources, in their order (the record of processing activities lists them so)."""
        return sorted(self.personal_data.values(), key=lambda source: (source.order, source.key))

    def add_user_link(self, label, url_name, roles=None, order=100):
        """A link in the user menu (beside "Đổi mật khẩu"), for pages that are not daily work."""
        self.user_links.append(NavItem(label, url_name, frozenset(roles) if roles else None, order))
        self.user_links.sort(key=lambda item: item.order)

    def user_links_for(self, user):
        return [
            item
            for item in self.user_links
            if item.roles is None or user.role in item.roles or user.is_superuser
        ]

    def set_announcer(self, announcer):
        """An app offers to announce visits to hamlets' citizens (`Announcer`); the last one registered wins."""
        self.announcer = announcer

    def set_escalation(self, url_name, allowed):
        """An app offers to take questions further: the assistant links to `url_name` with `?turn=<id>`."""
        self.escalation = Escalation(url_name, allowed)

    def escalation_url(self, user, **params):
        """The escalation page for `user` with `params` in the query string, or "" when there is none for them."""
        if self.escalation is None or user is None or not self.escalation.allowed(user):
            return ""
        return reverse(self.escalation.url_name) + ("?" + urlencode(params) if params else "")

    def add_demo(self, name, loader, order=100):
        """`loader(stdout, clock)` adds an app's demo data around `clock` (core.demo.DemoClock: `today`, `now`); it
        must be idempotent (`civicdesk demo` runs it every time) and read no wall clock."""
        self.demo_loaders.append((order, name, loader))
        self.demo_loaders.sort(key=lambda item: item[0])

    def add_nav(self, label, url_name, roles=None, order=100, staff_only=False):
        self.nav.append(NavItem(label, url_name, frozenset(roles) if roles else None, order, staff_only))
        self.nav.sort(key=lambda item: item.order)

    def add_panel(self, template, build, roles=None, order=100):
        self.panels.append(Panel(template, build, frozenset(roles) if roles else None, order))
        self.panels.sort(key=lambda item: item.order)

    def nav_for(self, user):
        return [
            item
            for item in self.nav
            if (item.roles is None or user.role in item.roles or user.is_superuser)
            and (not item.staff_only or user.is_staff)
        ]

    def panels_for(self, request):
        user = request.user
        for panel in self.panels:
            if panel.roles is not None and user.role not in panel.roles and not user.is_superuser:
                continue
            context = panel.build(request)
            if context is not None:
                yield panel.template, context


registry = Registry()
