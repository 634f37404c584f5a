"""Pure writers for exporting curated works as BibTeX, RIS and CSL-JSON, and readable citation keys.

Each writer takes an ExportRecord (plain data, built from the database elsewhere) and returns text or a dict.
"""

from .bibtex import ENTRY_TYPES, bibtex_entry, bibtex_header, entry_type, latex_name, latex_text, latex_title
from .csljson import CSL_TYPES, csl_item, csl_name
from .keys import STOPWORDS, key_base, unique_key
from .records import ExportRecord, clean, split_pages
from .ris import RIS_TYPES, ris_name, ris_record

__all__ = [
    "CSL_TYPES",
    "ENTRY_TYPES",
    "RIS_TYPES",
    "STOPWORDS",
    "ExportRecord",
    "bibtex_entry",
    "bibtex_header",
    "clean",
    "csl_item",
    "csl_name",
    "entry_type",
    "key_base",
    "latex_name",
    "latex_text",
    "latex_title",
    "ris_name",
    "ris_record",
    "split_pages",
    "unique_key",
]
