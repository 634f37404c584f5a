"""HTML to the same line structure a browser copy gives, plus the page's meta tags."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from .coins import coins_meta
from .text import PageText, clean, page_from_text

_DROPPED = ("head", "title", "script", "style", "noscript", "template", "nav", "svg", "iframe", "object")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_TEXT_BLOCKS = frozenset(
    ("p", "ul", "ol", "dl", "table", "blockquote", "pre", "figure", "figcaption", "address", "hr")
)
_SECTIONS = frozenset(("section", "article", "header", "footer", "main", "aside", "form", "fieldset"))
_PARAGRAPH_BLOCKS = _HEADINGS | _TEXT_BLOCKS | _SECTIONS
_LINE_BLOCKS = frozenset(["div", "li", "tr", "br", "dd", "dt", "caption", "summary", "details"])
_CELLS = frozenset(("td", "th"))
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
_NUMBERED_RE = re.compile(r"^\s*\[?\d+[.)\]]")
_BARE_NUMBER_RE = re.compile(r"^\s*(\d{1,4})(?:\s+|$)")
# Block edges are marked first and merged afterwards: adjacent edges make one break, not several.
_LINE_BREAK, _PARAGRAPH_BREAK = "\x00L", "\x00P"
_BREAKS_RE = re.compile(r"(?:[ \t\n]*\x00[LP])+[ \t\n]*")


def html_page(markup: str) -> PageText:
    root = _parse(markup)
    if root is None:
        return PageText(lines=[])
    meta = _meta_tags(root)
    title_element = root.find(".//title")
    html_title = clean(title_element.text_content()) if title_element is not None else ""
    h1 = next((clean(h.text_content()) for h in root.iter("h1")), "")
    for element in list(root.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction, *_DROPPED)):
        if element.getparent() is not None:
            element.drop_tree()
    return page_from_text(_Renderer().render(root), meta=meta, html_title=html_title, h1=h1)


def _parse(markup: str) -> lxml.html.HtmlElement | None:
    # Parsing bytes with an explicit encoding: the text is already decoded, whatever <meta charset> says.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
    try:
        return lxml.html.document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def _meta_tags(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Meta tags by lower-cased name; COinS spans stand in for Highwire tags on a page that has none."""
    meta: dict[str, list[str]] = {}
    for element in root.iter("meta"):
        name = (element.get("name") or element.get("property") or "").strip().lower()
        content = clean(element.get("content") or "")
        if name and content:
            meta.setdefault(name, []).append(content)
    if not any(name.startswith("citation_") for name in meta):
        meta.update(coins_meta(root))
    return meta


class _Renderer:
    """Walks the tree once; blocks become line breaks, list items stay on one line."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.item_depth = 0
        self.pre_depth = 0
        self.counters: list[int | None] = []  # None for <ul>
        self.bare_number = False  # the current item prints its number bare: it becomes the marker

    def render(self, root: lxml.html.HtmlElement) -> str:
        for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
            if event == "start":
                self._start(element)
            else:
                self._end(element)
        text = _BREAKS_RE.sub(_break_text, "".join(self.parts))
        return "\n".join(line.strip() for line in text.split("\n"))

    def _text(self, value: str | None) -> None:
        if value and self.bare_number and value.strip():
            self.bare_number = False
            number = _BARE_NUMBER_RE.match(value)
            if number and self.counters and self.counters[-1] is not None:
                self.counters[-1] = int(number.group(1))
                self.parts.append(f"{number.group(1)}. ")
                value = value[number.end() :]
        if value:
            self.parts.append(value if self.pre_depth else _HTML_SPACE_RE.sub(" ", value))

    def _break(self, tag: str) -> None:
        if self.item_depth:
            self.parts.append(" ")
        else:
            self.parts.append(_PARAGRAPH_BREAK if tag in _PARAGRAPH_BLOCKS else _LINE_BREAK)

    def _start(self, element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _PARAGRAPH_BLOCKS or tag in _LINE_BLOCKS:
            self._break(tag)
        if tag == "pre":
            self.pre_depth += 1
        elif tag in ("ol", "ul"):
            self.counters.append(_number(element.get("start"), 1) - 1 if tag == "ol" else None)
        elif tag == "li":
            self._item_marker(element)
            self.item_depth += 1
        self._text(element.text)

    def _end(self, element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "pre":
            self.pre_depth -= 1
        elif tag in ("ol", "ul") and self.counters:
            self.counters.pop()
        elif tag == "li":
            self.item_depth -= 1
        elif tag in _CELLS:
            self.parts.append(" ")
        if tag in _PARAGRAPH_BLOCKS or (tag in _LINE_BLOCKS and tag != "br"):
            self._break(tag)
        self._text(element.tail)

    def _item_marker(self, element: lxml.html.HtmlElement) -> None:
        # Browsers print list markers when a page is copied; the text parsers expect them.
        if self.item_depth or not self.counters:
            return
        previous = self.counters[-1]
        if previous is None:
            self.parts.append("\u2022 ")
            return
        number = _number(element.get("value") or element.get("data-counter"), previous + 1)
        self.counters[-1] = number
        if _number_in_own_element(element):
            self.bare_number = True
        elif not _NUMBERED_RE.match(element.text_content()):
            self.parts.append(f"{number}. ")


def _number_in_own_element(item: lxml.html.HtmlElement) -> bool:
    """<li><span>49</span> Selecting ...: the printed number, not the list's count, labels the item."""
    if (item.text or "").strip() or not len(item) or item.get("value"):
        return False
    return item[0].text_content().strip().isdigit()


def _break_text(match: re.Match[str]) -> str:
    return "\n\n" if _PARAGRAPH_BREAK in match.group(0) else "\n"


def _number(value: str | None, default: int) -> int:
    digits = (value or "").strip().rstrip(".")
    return int(digits) if digits.isdigit() else default
