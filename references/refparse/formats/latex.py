"""LaTeX in BibTeX values to plain text: accents, dashes, braces, macros and math."""

from __future__ import annotations

import re
import unicodedata

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


# Accents and letters written as macros are most of the LaTeX in real BibTeX; read here, they spare pylatexenc
# (about 40 µs a macro) for what is left.
_MARKS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
}
_LETTER_MARKS = {"c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "r": "\u030a", "k": "\u0328"}
_SYMBOL_ACCENT_RE = re.compile(r"""\\(["'`^~=.])\s*(?:\{\s*(\\i|[A-Za-z])\s*\}|(\\i(?![A-Za-z])|[A-Za-z]))""")
_LETTER_ACCENT_RE = re.compile(r"\\([cvuHrk])(?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTERS = {
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
}
_LETTER_RE = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i)(?![A-Za-z])(?:\{\}|\s+)?")


def _accent(mark: str, letter: str) -> str:
    return unicodedata.normalize("NFC", ("i" if letter == "\\i" else letter) + mark)


def _common_macros(latex: str) -> str:
    latex = _SYMBOL_ACCENT_RE.sub(lambda m: _accent(_MARKS[m.group(1)], m.group(2) or m.group(3)), latex)
    latex = _LETTER_ACCENT_RE.sub(
        lambda m: _accent(_LETTER_MARKS[m.group(1)], m.group(2) or m.group(3)), latex
    )
    return _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], latex)


_MAX_MACROS = 200
_MACRO_RE = re.compile(r"\\(?:[A-Za-z]+\*?|[^A-Za-z%&_$#{}])")
_ESCAPED_RE = re.compile(r"\\([%&_$#{}])")

_DECODER = _latex_decoder()
# Built once: LatexWalker would otherwise build its default context for every value.
_LATEX_PARSING = latexwalker.get_default_latex_context_db()


def latex_to_text(latex: str) -> str:
    """LaTeX to text; pylatexenc (slow) only for macros and math. A bare "%" is a percent sign, not a comment."""
    if "\\" in latex:
        latex = _common_macros(latex)
    if latex.count("\\") > _MAX_MACROS:  # no real title or name has so many: keep the time linear
        latex = _ESCAPED_RE.sub(r"\1", _MACRO_RE.sub("", latex))
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
