"""Every URL of the project, walked from the resolver, as anonymous, a signed-in user in no group and each
role, with PUBLIC_READ off and on: each answer is checked against the decision below. A URL added later
without a decision here fails `test_every_url_has_a_decision`."""

import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import ApiToken
from curation.models import Annotation, Finding, Queue, QueueItem
from references.models import (
    DuplicateCandidate,
    EnrichmentBatch,
    ImportBatch,
    MatchCandidate,
    RecordImportJob,
    Work,
    WorkMerge,
)

ROLES = ("researcher", "curator", "admin")
VIEWERS = ("anonymous", "nobody", *ROLES)
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin site's sign-in page


@dataclass(frozen=True)
class Decision:
    """The GET status each viewer gets; `public` says whether PUBLIC_READ gives everyone the members' answer."""

    statuses: dict[str, int | str]
    public: bool = False

    def expected(self, viewer: str, public_read: bool) -> int | str:
        if public_read and self.public:
            return self.statuses["researcher"]
        return self.statuses[viewer]


def read(ok: int = 200) -> Decision:
    """Reading the library: members; everyone when it is published."""
    return Decision({"anonymous": LOGIN, "nobody": 403, **dict.fromkeys(ROLES, ok)}, public=True)


def api_read(ok: int = 200) -> Decision:
    return Decision({"anonymous": 401, "nobody": 403, **dict.fromkeys(ROLES, ok)}, public=True)


def only(ok: int, *roles: str) -> Decision:
    """A page of some roles (or a POST-only write, whose GET is 405 for them); never opened."""
    return Decision({"anonymous": LOGIN, "nobody": 403, **{r: ok if r in roles else 403 for r in ROLES}})


def signed_in(ok: int = 200) -> Decision:
    return Decision({"anonymous": LOGIN, **dict.fromkeys(("nobody", *ROLES), ok)})


def everyone(status: int) -> Decision:
    return Decision(dict.fromkeys(VIEWERS, status))


ALL, CURATORS, ADMINS = ROLES, ("curator", "admin"), ("admin",)

DECISIONS: dict[str, Decision] = {
    # Account pages.
    "login": everyone(200),
    "logout": everyone(405),  # sign-out is a POST
    "password_change": signed_in(),
    "password_change_done": signed_in(),
    "password_reset": everyone(200),
    "password_reset_done": everyone(200),
    "password_reset_confirm": everyone(200),  # the page saying the link is not valid
    "password_reset_complete": everyone(200),
    "account-tokens": only(200, *ALL),
    "account-token-revoke": only(405, *ALL),
    # The API and its documentation.
    "api:work-list": api_read(),
    "api:work-detail": api_read(),
    "api:finding-list": api_read(),
    "api:schema": api_read(),
    "api:docs": read(),
    "api:redoc": read(),
    # Reading the library.
    "references:work-list": read(),
    "curation:work-detail": read(),
    "references:export-bib": read(),
    "references:export-ris": read(),
    "references:export-csljson": read(),
    "references:search-list": read(),
    "references:prisma-svg": read(),
    "curation:vocabulary": read(),
    # Curation.
    "curation:suggestion-accept": only(405, *CURATORS),
    "curation:suggestion-reject": only(405, *CURATORS),
    "curation:tag-create": only(405, *CURATORS),
    "curation:annotation-change": only(405, *CURATORS),
    "curation:bulk-tag": only(405, *CURATORS),
    "curation:finding-create": only(200, *ADMINS),
    "curation:finding-edit": only(200, *ADMINS),
    "curation:finding-delete": only(200, *ADMINS),  # the confirmation page
    "references:work-merge": only(405, *CURATORS),
    "references:merge-undo": only(405, *CURATORS),
    "references:duplicates": only(200, *CURATORS),
    "references:duplicate-pair": only(200, *CURATORS),
    "references:duplicate-merge": only(405, *CURATORS),
    "references:duplicate-distinct": only(405, *CURATORS),
    "references:review-queue": only(200, *CURATORS),
    "references:review-accept": only(405, *CURATORS),
    "references:review-reject": only(405, *CURATORS),
    # Curation queues: a queue or a work of it that is not the user's is not found (the walkers are assigned
    # to none; admins see every queue and resolve independent ones).
    "curation:queue-list": only(200, *CURATORS),
    "curation:queue-create": only(200, *ADMINS),
    "curation:queue-detail": Decision({**only(200, *ADMINS).statuses, "curator": 404}),
    "curation:queue-agreement-csv": Decision({**only(200, *ADMINS).statuses, "curator": 404}),
    "curation:queue-next": only(404, *CURATORS),
    "curation:queue-item": only(404, *CURATORS),
    "curation:queue-decide": only(405, *CURATORS),
    "curation:queue-done": only(405, *CURATORS),
    "curation:queue-resolve": Decision({**only(200, *ADMINS).statuses, "curator": 404}),
    # Imports and enrichment.
    "references:import": only(200, *ADMINS),
    "references:import-confirm": only(405, *ADMINS),
    "references:import-batch": only(200, *ADMINS),
    "references:import-job": only(200, *ADMINS),
    "references:import-references": only(200, *ADMINS),
    "references:import-references-confirm": only(405, *ADMINS),
    "references:enrichment-list": only(200, *ALL),
    "references:enrichment-batch": only(200, *ALL),
    "references:enrichment-start": only(405, *ADMINS),
    "references:enrichment-resume": only(405, *ADMINS),
    "references:enrichment-retry": only(405, *ADMINS),
    # The admin site: its own staff check guards every page, and no role is staff.
    "admin:login": everyone(200),
    "admin:logout": everyone("302 to /admin/"),  # a GET signs nobody out: back to the admin's index
}
# The admin site's pages, named after the registered models, all send a non-staff user to its sign-in.
ADMIN_SITE = everyone(ADMIN_LOGIN)
# Unnamed patterns, by route: the admin's old change-page address redirects, its catch-all signs in.
UNNAMED: dict[str, Decision] = {
    "admin/(?P<url>.*)$": ADMIN_SITE,
}
# What a POST by a viewer with no role may get anywhere, with PUBLIC_READ on: never a write.
REFUSED = {LOGIN, ADMIN_LOGIN, 401, 403, 405}
# Account forms anyone may post (they check what is posted, and write nothing without it); a signed-in
# user changes their own password only with the old one.
OPEN_FORMS = {
    "login",
    "logout",
    "password_reset",
    "password_reset_confirm",
    "password_change",
    "admin:login",
    "admin:logout",
}


@dataclass
class Route:
    route: str
    name: str | None
    converters: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.name or self.route


def routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            )
            found += routes(pattern.url_patterns, route, inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append(Route(route, name))
    return found


def decision(route: Route) -> Decision | None:
    if route.name in DECISIONS:
        return DECISIONS[route.name]
    if route.route in UNNAMED:
        return UNNAMED[route.route]
    if route.key.startswith("admin:") or (route.name is None and route.route.startswith("admin/")):
        return ADMIN_SITE
    return None


def test_every_url_has_a_decision():
    undecided = [route.key for route in routes() if decision(route) is None]
    assert not undecided, f"URLs without an access decision in {__name__}.DECISIONS: {undecided}"


def test_the_table_names_only_real_urls():
    names = {route.key for route in routes()}
    assert set(DECISIONS) <= names, set(DECISIONS) - names


# Sample values for path parameters: objects of the right kind, so detail pages answer rather than 404.
SAMPLE_KEYS = {
    "references:import-batch": "batch",
    "references:import-job": "job",
    "references:merge-undo": "merge",
    "references:enrichment-batch": "enrichment",
    "references:enrichment-resume": "enrichment",
    "references:enrichment-retry": "enrichment",
    "references:duplicate-pair": "pair",
    "references:duplicate-merge": "pair",
    "references:duplicate-distinct": "pair",
    "references:review-accept": "candidate",
    "references:review-reject": "candidate",
    "curation:annotation-change": "annotation",
    "curation:finding-edit": "finding",
    "curation:finding-delete": "finding",
    "account-token-revoke": "token",
    "curation:queue-detail": "queue",
    "curation:queue-agreement-csv": "queue",
    "curation:queue-next": "queue",
    "curation:queue-item": "queue_item",
    "curation:queue-decide": "queue_item",
    "curation:queue-done": "queue_item",
    "curation:queue-resolve": "queue_item",
}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def fill(route: Route, samples: dict[str, object]) -> str:
    def value(match: re.Match) -> str:
        name = match["name"] or match["group"]
        if name == "pk":
            return str(samples[SAMPLE_KEYS.get(route.key, "work")])
        return {"object_id": str(samples["work"]), "content_type_id": "999999", "url": "nowhere/"}.get(
            name, "MQ" if name == "uidb64" else "set-password"
        )

    path = PARAMETER.sub(value, route.route).replace("^", "").replace("$", "")
    return "/" + path


@pytest.fixture
def samples(django_user_model):
    work = Work.objects.create(title="Relapsed infant ALL with KMT2A rearrangement", year=2020)
    other = Work.objects.create(title="Another work", year=2021)
    third = Work.objects.create(title="A third work", year=2022)
    finding = Finding.objects.order_by("pk").first()
    owner = django_user_model.objects.create_user("token-owner")
    queue = Queue.objects.create(name="Sample queue", mode=Queue.Mode.INDEPENDENT)
    return {
        "queue": queue.pk,
        "queue_item": QueueItem.objects.create(queue=queue, work=work, position=1).pk,
        "work": work.pk,
        "batch": ImportBatch.objects.create().pk,
        "job": RecordImportJob.objects.create(token="sample-job").pk,
        "merge": WorkMerge.objects.create(target=other, duplicate=third, undone_at="2024-01-01T00:00Z").pk,
        "enrichment": EnrichmentBatch.objects.create(origin=EnrichmentBatch.Origin.WEB).pk,
        "pair": DuplicateCandidate.objects.create(first=work, second=other, score=0.9, method="title").pk,
        "candidate": MatchCandidate.objects.create(
            work=work, query="q", doi="10.1/x", record={}, score=0.5
        ).pk,
        "annotation": Annotation.objects.create(work=work, finding=finding).pk,
        "finding": finding.pk,
        "token": ApiToken.objects.issue(owner, "sample")[0].pk,
    }


@pytest.fixture
def clients(django_user_model) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for viewer in ("nobody", *ROLES):
        user = django_user_model.objects.create_user(f"walker-{viewer}")
        if viewer != "nobody":
            user.groups.add(Group.objects.get(name=viewer))
        clients[viewer] = Client()
        clients[viewer].force_login(user)
    return clients


def outcome(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        return f"302 to {location}"
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("public_read", [False, True], ids=["private", "public"])
def test_every_url_answers_each_viewer_as_decided(public_read, samples, clients):
    wrong = []
    with override_settings(PUBLIC_READ=public_read):
        for route in routes():
            path, rule = fill(route, samples), decision(route)
            for viewer, client in clients.items():
                got = outcome(client.get(path))
                if got != rule.expected(viewer, public_read):
                    wrong.append(
                        f"{viewer} GET {path} ({route.key}): {got}, not {rule.expected(viewer, public_read)}"
                    )
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@override_settings(PUBLIC_READ=True)
def test_no_write_opens_to_a_viewer_without_a_role(samples, clients):
    """Published, every URL still refuses a POST by anonymous and no-group users (but the account forms)."""
    opened = []
    for route in routes():
        if route.key in OPEN_FORMS:
            continue
        path = fill(route, samples)
        for viewer in ("anonymous", "nobody"):
            got = outcome(clients[viewer].post(path, {}))
            if got not in REFUSED:
                opened.append(f"{viewer} POST {path} ({route.key}): {got}")
    assert not opened, "\n".join(opened)
    assert Work.objects.count() == 3 and ApiToken.objects.count() == 1
