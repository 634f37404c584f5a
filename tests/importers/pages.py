"""Builds a realistic saved-HTML page from a browser text copy, the way the site would have marked it up."""

from __future__ import annotations

import re
from html import escape

_NUMBERED_RE = re.compile(r"^(\d+)\.\s+(.*)$")
_BULLET_RE = re.compile("^\u2022\\s*(.*)$")
_LINK_WORDS_RE = re.compile(r"^(?:(?:Article|CAS|PubMed Central|PubMed|Google Scholar)\s*)+$")
_HEADING_RE = re.compile(r"^[A-Z][\w ]{2,30}$")

HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | Example Site</title>
<script>window.dataLayer = [{{"content": "Google Scholar 10.9999/not-this-doi"}}];</script>
<style>p.links {{ display: inline; }} h1::before {{ content: "Abstract"; }}</style>
{meta}</head>
<body>
<nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/login">Log in</a></li></ul></nav>
<noscript>Please enable JavaScript.</noscript>
<!-- main content -->
<main>
"""
FOOT = """</main>
<script src="/tracking.js"></script>
</body>
</html>
"""


def as_html(text: str, meta: str = "") -> str:
    """Paragraphs become <p> (their lines joined by <br>), numbered lines <li> in <ol>, bullets <li> in <ul>,
    link words <p class="links"> inside the reference's <li>, short lines <h2>, the first long one <h1>."""
    builder = _Builder()
    for line in text.replace("\r\n", "\n").split("\n"):
        builder.add(line.strip())
    builder.close_all()
    title = next((line.strip() for line in text.split("\n") if len(line.split()) >= 5), "Page")
    return HEAD.format(title=escape(title), meta=meta) + "\n".join(builder.out) + FOOT


class _Builder:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.list_tag = ""
        self.last_number = 0
        self.open_item = False
        self.open_paragraph = False
        self.after_blank = True
        self.seen_h1 = False

    def add(self, line: str) -> None:
        if not line:
            self.after_blank = True
            self._close_paragraph()
            return
        numbered, bullet = _NUMBERED_RE.match(line), _BULLET_RE.match(line)
        if numbered:
            self._item("ol", numbered.group(2), int(numbered.group(1)))
        elif bullet:
            self._item("ul", bullet.group(1), 0)
        elif _LINK_WORDS_RE.match(line) and self.open_item:
            links = " ".join(f'<a href="#">{escape(word)}</a>' for word in line.split())
            self.out.append(f'<p class="links">{links}</p>')
        else:
            self._text(line)
        self.after_blank = False

    def _item(self, tag: str, content: str, number: int) -> None:
        self._close_paragraph()
        # Springer's references have blank lines between them, bullet lists never do.
        continues = self.list_tag == tag and (
            (tag == "ul" and not self.after_blank) or (tag == "ol" and number == self.last_number + 1)
        )
        if not continues:
            self._close_list()
            start = f' start="{number}"' if tag == "ol" and number != 1 else ""
            self.out.append(f"<{tag}{start}>")
            self.list_tag = tag
        self._close_item()
        self.out.append(f"<li>{escape(content)}")
        self.open_item = True
        self.last_number = number

    def _text(self, line: str) -> None:
        self._close_list()
        if self.open_paragraph and not self.after_blank:
            self.out.append(f"<br>{escape(line)}")
            return
        self._close_paragraph()
        if not self.seen_h1 and len(line.split()) >= 5:
            self.out.append(f"<h1>{escape(line)}</h1>")
            self.seen_h1 = True
        elif _HEADING_RE.match(line) and len(line.split()) <= 4:
            self.out.append(f"<h2>{escape(line)}</h2>")
        else:
            self.out.append(f"<p>{escape(line)}")
            self.open_paragraph = True

    def _close_paragraph(self) -> None:
        if self.open_paragraph:
            self.out.append("</p>")
            self.open_paragraph = False

    def _close_item(self) -> None:
        if self.open_item:
            self.out.append("</li>")
            self.open_item = False

    def _close_list(self) -> None:
        self._close_item()
        if self.list_tag:
            self.out.append(f"</{self.list_tag}>")
            self.list_tag = ""

    def close_all(self) -> None:
        self._close_paragraph()
        self._close_list()
