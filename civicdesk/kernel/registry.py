"""Navigation entries and home-page panels that each app contributes in its AppConfig.ready().

Keeping these in one registry lets each domain app own its own menu item and dashboard card, so core never
imports the apps that build on it. It lives in the kernel so that geo, under core, registers its own entries too.
"""

from dataclasses import dataclass, field
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


@dataclass
class Registry:
    nav: list = field(default_factory=list)
    panels: list = field(default_factory=list)
    demo_loaders: list = field(default_factory=list)
    escalation: Escalation | None = None

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
