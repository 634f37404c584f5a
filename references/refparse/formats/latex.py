"""LaTeX in BibTeX values to plain text: accents, dashes, braces, macros."""

from __future__ import annotations

import re

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

_PLAIN_LATEX = {"{": "", "}": "", "~": " ", "---": "\u2014", "--": "\u2013"}
_PLAIN_LATEX_RE = re.compile(r"[{}~]|---?")
_BARE_PERCENT_RE = re.compile(r"(?<!\\)%")


def _latex_decoder() -> LatexNodes2Text:
    """pylatexenc as bibtexparser's LatexDecodingMiddleware sets it up: math kept, \\url{...} as its text."""
    context = get_default_latex_context_db()
    context.add_context_category("urls", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


_DECODER = _latex_decoder()
# Built once: LatexWalker would otherwise build its default context for every value.
_LATEX_PARSING = latexwalker.get_default_latex_context_db()


def latex_to_text(latex: str) -> str:
    """LaTeX to text; pylatexenc (slow) only for macros and math. A bare "%" is a percent sign, not a comment."""
    if "\\" not in latex and "$" not in latex:
        return _PLAIN_LATEX_RE.sub(lambda match: _PLAIN_LATEX[match.group(0)], latex)
    return _DECODER.latex_to_text(_BARE_PERCENT_RE.sub(r"\\%", latex), latex_context=_LATEX_PARSING)
