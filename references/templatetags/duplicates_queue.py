from django import template

from ..duplicates import pending

register = template.Library()


@register.simple_tag
def pending_duplicates() -> int:
    """How many pairs await a curator, for the navigation's Duplicates link."""
    return pending().count()
