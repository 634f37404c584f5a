"""LaTeX in BibTeX values to plain text: accents, dashes, braces, macros and math."""

from __future__ import annotations

import re

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

_PLAIN_LATEX = {"{": "", "}": "", "~": " ", "---": "\u2014", "--": "\u2013"}
_PLAIN_LATEX_RE = re.compile(r"[{}~]|---?")
_BARE_PERCENT_RE = re.compile(r"(?<!\\)%")
_MATH_RE = re.compile(r"(?<!\\)\$([^$]*)\$|\\\((.*?)\\\)", re.DOTALL)
# `_2`, `^{131}`, `^+` in math; a script holding a macro (`^{\circ}`) is left to pylatexenc.
_SCRIPT_RE = re.compile(r"([_^])(?:\{([^{}\\]*)\}|([^\s{}\\]))")
_SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_DEGREE_RE = re.compile(r"\^\{?\\circ\}?")
_SCRIPT_MARK_RE = re.compile(r"(?<!\\)[_^]")


def _latex_decoder() -> LatexNodes2Text:
    """pylatexenc with \\url{...} as its text and math as text: `$\\alpha$` is α."""
    context = get_default_latex_context_db()
    context.add_context_category("urls", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
    return LatexNodes2Text(latex_context=context, math_mode="text")


_DECODER = _latex_decoder()
# Built once: LatexWalker would otherwise build its default context for every value.
_LATEX_PARSING = latexwalker.get_default_latex_context_db()


def latex_to_text(latex: str) -> str:
    """LaTeX to text; pylatexenc (slow) only for macros and math. A bare "%" is a percent sign, not a comment."""
    if "\\" not in latex and "$" not in latex:
        return _PLAIN_LATEX_RE.sub(lambda match: _PLAIN_LATEX[match.group(0)], latex)
    latex = _MATH_RE.sub(_plain_scripts, _BARE_PERCENT_RE.sub(r"\\%", latex))
    return _DECODER.latex_to_text(latex, latex_context=_LATEX_PARSING)


def _plain_scripts(math: re.Match[str]) -> str:
    """Subscripts as plain characters (Fe$_2$O$_3$ is Fe2O3), superscripts as Unicode ones where all exist."""
    body = _DEGREE_RE.sub("°", math.group(1) if math.group(1) is not None else math.group(2))
    return "$" + _SCRIPT_MARK_RE.sub("", _SCRIPT_RE.sub(_script, body)) + "$"


def _script(match: re.Match[str]) -> str:
    text = match.group(2) if match.group(2) is not None else match.group(3)
    if match.group(1) == "^" and text and all(char in "0123456789+-=()n" for char in text):
        return text.translate(_SUPERSCRIPTS)
    return text
