"""Each facet value links to the selection with that value added, or taken away when it is on."""

from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from references.search.browse import FACETS, MULTIPLE, FacetValue, with_links


def toggled_by_querydict(query: QueryDict, name: str, value: str) -> str:
    """The links as a copy of the request's QueryDict writes them (how they were made before)."""
    changed = query.copy()
    changed.pop("page", None)
    current = changed.getlist(name)
    if value in current:
        changed.setlist(name, [v for v in current if v != value])
    elif name in MULTIPLE:
        changed.setlist(name, [*current, value])
    else:
        changed[name] = value
    return "?" + changed.urlencode()


names = st.sampled_from([*FACETS, "page", "q", "sort"])
texts = st.text(alphabet=st.sampled_from("ab &=+?#%é–1"), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(st.tuples(names, texts), max_size=8),
    offered=st.lists(st.tuples(st.sampled_from(list(FACETS)), texts), min_size=1, max_size=6),
)
def test_links_are_those_a_copy_of_the_query_writes(pairs, offered):
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    facets = {}
    for name, value in offered:
        facets.setdefault(name, []).append(FacetValue(value, value, 1))
    for name, _, values in with_links(query, facets):
        for v in values:
            assert v.href == toggled_by_querydict(query, name, v.value)
            assert v.active == (v.value in query.getlist(name))


def test_a_value_on_is_taken_away_and_paging_starts_again():
    query = QueryDict("finding=HSCT&finding=MRD&year=2020&page=3&q=infant")
    facets = {"finding": [FacetValue("HSCT", "HSCT", 4), FacetValue("CNS", "CNS", 2)]}
    links = {v.value: v.href for name, _, values in with_links(query, facets) for v in values}
    assert links == {
        "HSCT": "?finding=MRD&year=2020&q=infant",
        "CNS": "?finding=HSCT&finding=MRD&finding=CNS&year=2020&q=infant",
    }
