"""A small library and the people of a queue, for the queue tests (unit, page and browser)."""

from django.contrib.auth.models import Group, Permission

from references.models import SourceDocument, Work
from references.search import indexing
from tests.helpers import member

ABSTRACTS = [
    (
        "Blinatumomab for relapsed infant ALL",
        "Infants with KMT2A-rearranged ALL have a poor outcome. "
        "After a second HSCT she received blinatumomab and remains in remission.",
    ),
    (
        "Inotuzumab before transplant",
        "Twelve children with relapsed ALL received inotuzumab. Eight proceeded to HSCT in remission.",
    ),
    (
        "Venetoclax in KMT2A-r leukemia",
        "We report venetoclax with chemotherapy in 5 infants with MLL-rearranged leukemia.",
    ),
]

GRANTS = {"curator": ["work_queue"], "admin": ["work_queue", "add_queue", "change_queue", "view_queue"]}


def grant_queue_permissions() -> None:
    """What migration 0011 grants: a transactional (browser) test's flush removes it."""
    for name, codenames in GRANTS.items():
        group = Group.objects.get_or_create(name=name)[0]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="curation", codename__in=codenames)
        )


def source_work(title: str, abstract: str, year: int = 2024) -> Work:
    """An imported source (what the list page shows by default), indexed."""
    work = Work.objects.create(title=title, abstract=abstract, year=year)
    SourceDocument.objects.create(work=work, file_name=f"{work.pk}.txt", sha256=f"{work.pk:064d}", size=1)
    indexing.refresh([work.pk])
    return work


def library() -> list[Work]:
    return [source_work(title, abstract, year=2024 - n) for n, (title, abstract) in enumerate(ABSTRACTS)]


def people(django_user_model) -> dict:
    return {
        "admin": member(django_user_model, "ada", "admin"),
        "first": member(django_user_model, "fay", "curator"),
        "second": member(django_user_model, "sam", "curator"),
        "outsider": member(django_user_model, "otto", "curator"),
        "researcher": member(django_user_model, "rita", "researcher"),
    }
