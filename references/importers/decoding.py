"""Bytes of a saved page to text: refuse binaries, find the character encoding."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from .records import DecodedPage, PageRejected

_SIGNATURES = (
    (b"%PDF", "This is a PDF file; save the page as text or HTML."),
    (b"\x1f\x8b", "This is a gzip-compressed file; unpack it first."),
    (b"PK\x03\x04", "This is a ZIP archive or a Word (DOCX) document; save the page as text or HTML."),
    (b"\x89PNG\r\n\x1a\n", "This is a PNG image; save the page as text or HTML."),
    (b"\xff\xd8\xff", "This is a JPEG image; save the page as text or HTML."),
    (b"GIF87a", "This is a GIF image; save the page as text or HTML."),
    (b"GIF89a", "This is a GIF image; save the page as text or HTML."),
    (b"\xd0\xcf\x11\xe0", "This is an old Word or Excel document; save the page as text or HTML."),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY = "This looks like a binary file, not a saved web page; save the page as text or HTML."
_UNKNOWN = "Cannot tell the character encoding of this file; save it as UTF-8."
_EMPTY = "The file is empty."
_DAMAGED = (
    "Line {line} is not valid UTF-8, and no common encoding reads it as text: the file is damaged or mixes "
    "encodings. Save it as UTF-8 and import it again."
)
_CONTROL_BYTES = frozenset(set(range(32)) - {9, 10, 12, 13} | {127})
_HTML_START_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
# Browsers read these labels as Windows-1252 (WHATWG encoding standard).
_AS_WINDOWS_1252 = frozenset(("ascii", "latin-1", "iso8859-1", "cp1252"))
_FALLBACKS = ("cp1252", "cp1251", "cp1250")
_SAMPLE_CHARS = 65536
_PLAUSIBLE = 0.1
_WORD_RE = re.compile(r"[^\s\u3000-\u303f\uff00-\uffef]+")
_EDGE_PUNCTUATION = "\"'()[]{}<>.,;:!?\u00ab\u00bb\u201c\u201d\u201e\u2018\u2019*"
_INNER_ALLOWED = frozenset(
    "-'./%+=<>~\u2019\u2018\u2010\u2011\u2013\u2014\u2026\u00b1\u00d7\u00b0\u2264\u2265"
)
# Shaped letter forms (Arabic presentation forms, ﹽﺣ) exist for renderers: text never stores them, but the bytes
# of a damaged UTF-8 file read in an 8-bit Urdu or Arabic code page come out as them.
_PRESENTATION_FORMS = ("<isolated>", "<initial>", "<medial>", "<final>")
_EAST_ASIAN = frozenset(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))
_SCRIPTS = _EAST_ASIAN | frozenset(
    ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI", "ARMENIAN", "GEORGIAN")
)


def decode_page(data: bytes) -> DecodedPage:
    """Decode a saved page, or raise PageRejected saying why it cannot be imported."""
    refuse_undecodable(data)
    text, encoding = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PageRejected(_EMPTY)
    head = text[:1024].lstrip("\ufeff \t\n")
    file_format = "html" if head.startswith("<") and _HTML_START_RE.search(head) else "text"
    return DecodedPage(text=text, encoding=encoding, file_format=file_format)


def refuse_undecodable(data: bytes, *, whole: bool = True) -> None:
    """PageRejected for an empty file and for binary ones (PDF, archives, images), said so. `whole=False`
    when `data` is only the file's start: blank, it does not make the file empty."""
    if whole and (not data or data.isspace()):  # not data.strip(): that copies a large file
        raise PageRejected(_EMPTY)
    _refuse_binary(data)


def _refuse_binary(data: bytes) -> None:
    for signature, message in _SIGNATURES:
        if data.startswith(signature):
            raise PageRejected(message)
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return
    sample = data[:8192]
    if b"\x00" in data or sum(byte in _CONTROL_BYTES for byte in sample) > len(sample) * 0.05:
        raise PageRejected(_BINARY)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), _label(codec)
            except UnicodeDecodeError:
                raise PageRejected(_UNKNOWN) from None
    # Valid UTF-8 beats a declared charset: browsers re-save pages as UTF-8 and keep stale declarations.
    for codec in ("utf-8", _declared_charset(data)):
        if codec:
            try:
                return data.decode(codec), _label(codec)
            except UnicodeDecodeError:
                pass
    return _mixed(data) or _guess(data)


def _mixed(data: bytes) -> tuple[str, str] | None:
    """Lines pasted together from files in different encodings: UTF-8 lines stay, the others are guessed."""
    lines = data.split(b"\n")
    foreign = [i for i, line in enumerate(lines) if not _is_utf8(line)]
    if not any(not line.isascii() and _is_utf8(line) for line in lines):
        return None
    try:
        text, codec = _guess(b"\n".join(lines[i] for i in foreign))
    except PageRejected:
        raise PageRejected(_DAMAGED.format(line=foreign[0] + 1)) from None
    for i, decoded in zip(foreign, text.split("\n"), strict=True):
        lines[i] = decoded.encode("utf-8")
    return b"\n".join(lines).decode("utf-8"), f"utf-8+{codec}"


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared_charset(data: bytes) -> str:
    head = data[:4096]
    match = _XML_ENCODING_RE.match(head) or _CHARSET_RE.search(head)
    if not match:
        return ""
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return ""
    if codec.startswith(("utf-16", "utf-32")):
        return ""  # a BOM-less page that calls itself UTF-16 is really 8-bit; the BOMs were checked already
    return "cp1252" if codec in _AS_WINDOWS_1252 else codec


def _guess(data: bytes) -> tuple[str, str]:
    """charset_normalizer's candidates, checked word by word: mojibake shows up as odd words."""
    guesses = [_codec(match.encoding) for match in from_bytes(data)]
    # Windows-1252 goes first: most non-UTF-8 pages are Western, and ties keep the earlier candidate.
    best: tuple[tuple[float, float], str, str] | None = None
    for codec in dict.fromkeys((*_FALLBACKS, *guesses)):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        sample = text[:_SAMPLE_CHARS]
        score = (_oddness(sample), round(mess_ratio(sample, maximum_threshold=1.0), 2))
        if best is None or score < best[0]:
            best = (score, text, codec)
    if best is None or best[0][0] > _PLAUSIBLE:
        raise PageRejected(_UNKNOWN)
    return best[1], _label(best[2])


def _oddness(text: str) -> float:
    """Share of the non-ASCII words that look like mojibake (0 = all plausible)."""
    words = [w.strip(_EDGE_PUNCTUATION) for w in _WORD_RE.findall(text) if not w.isascii()]
    if not words:
        return 0.0
    odd = sum(_odd_word(word) for word in words if word)
    controls = sum(unicodedata.category(ch) in ("Cc", "Co", "Cn") for ch in text if ch not in "\t\n\r\f")
    return (odd + controls) / len(words)


def _odd_word(word: str) -> bool:
    # East Asian text has no spaces: a "word" is a whole clause, with ASCII punctuation inside.
    east_asian = any(unicodedata.name(ch, "").startswith(tuple(_EAST_ASIAN)) for ch in word)
    scripts: set[str] = set()
    accented = letters = 0
    previous_lower = False
    for ch in word:
        if unicodedata.decomposition(ch).startswith(_PRESENTATION_FORMS):
            return True
        if ch.isalpha():
            letters += 1
            name = unicodedata.name(ch, "?").split(" ")[0]
            if name in _SCRIPTS:
                scripts.add("CJK" if name in _EAST_ASIAN else name)
            if not ch.isascii():
                accented += name == "LATIN"
                if ch.isupper() and previous_lower:
                    return True
            previous_lower = ch.islower()
        elif not (
            ch.isdigit()
            or ch in _INNER_ALLOWED
            or (east_asian and ch.isascii())
            or unicodedata.category(ch)[0] == "M"
        ):
            return True
    # Chinese and Japanese put Latin acronyms inside words ("基于BP神经网络"); accented Latin next to CJK is mojibake.
    if scripts == {"CJK", "LATIN"} and not accented:
        return False
    return len(scripts) > 1 or (accented >= 3 and accented * 2 > letters)


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _label(codec: str) -> str:
    name = _codec(codec)
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    if name.startswith("iso8859-"):
        return "iso-" + name[3:]
    return {"utf-8-sig": "utf-8", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(name, name)
