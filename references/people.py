"""The one vocabulary of people, shared by the readers, Crossref's records, the exports and the model's
choices: a person's (or a group's) name, and the roles a person has in a work. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass

AUTHOR = "author"
EDITOR = "editor"
ROLES: dict[str, str] = {AUTHOR: "Author", EDITOR: "Editor"}


@dataclass(frozen=True)
class Name:
    family: str  # for a collective author (a group, a consortium): its whole name
    given: str = ""  # full given names when printed, else initials like "E.H." (dots, no spaces)
    orcid: str = ""  # "0000-0002-1825-0097", no URL
    affiliation: str = ""  # the first affiliation the record gives
    collective: bool = False  # "Children's Oncology Group": a name that is not a person's
    printed: str = ""  # the name exactly as a page prints it, when read from a page

    @property
    def in_print(self) -> str:
        """The name as printed, else 'Pieters Rob', or a collective author's whole name."""
        if self.printed:
            return self.printed
        return self.family if self.collective else f"{self.family} {self.given}".strip()

    @property
    def is_organisation(self) -> bool:
        """A body such as "Children's Oncology Group" or "WHO": said so by its record, or with no given name
        and several words or all capitals (a record that does not say)."""
        family = self.family.strip()
        guessed = not self.given.strip() and bool(family) and (len(family.split()) >= 2 or family.isupper())
        return self.collective or guessed
