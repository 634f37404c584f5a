"""decode_page: refuse what is not a page, find the character encoding, normalise newlines."""

import codecs

import pytest

from references.importers import PageRejected, decode_page, parse_page

RUSSIAN_TITLE = "Проблемы терапии острого лимфобластного лейкоза у детей первого года жизни"
RUSSIAN_ABSTRACT = (
    "Острый лимфобластный лейкоз у детей первого года жизни встречается редко. "
    "Прогноз остается неблагоприятным. Мы описываем клинический случай."
)
RUSSIAN_PAGE = (
    f"{RUSSIAN_TITLE}\r\n\r\nhttps://doi.org/10.21682/2311-1267-2025-12-4-89-96\r\n\r\n"
    f"Аннотация\r\n\r\n{RUSSIAN_ABSTRACT}\r\n"
)


def rejection(data: bytes) -> str:
    with pytest.raises(PageRejected) as caught:
        decode_page(data)
    return str(caught.value)


def test_empty_file_is_rejected():
    assert rejection(b"") == "The file is empty."


def test_whitespace_only_file_is_rejected():
    assert rejection(b"  \r\n\t \n ") == "The file is empty."
    assert rejection(codecs.BOM_UTF8 + b" \n") == "The file is empty."


def test_nul_bytes_mean_binary():
    assert "binary" in rejection(b"Title of a page\n\x00\x01\x02 more \x00 bytes")


def test_control_characters_mean_binary():
    assert "binary" in rejection(bytes(range(1, 9)) * 50 + b"some text")


def test_pdf_is_named():
    message = rejection(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert message == "This is a PDF file; save the page as text or HTML."


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "DOCX"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
    ],
)
def test_other_binary_signatures_are_named(data, named):
    assert named in rejection(data)


def test_windows_1251_russian_page_comes_out_as_cyrillic():
    page = decode_page(RUSSIAN_PAGE.encode("cp1251"))
    assert page.encoding == "windows-1251"
    assert page.file_format == "text"
    assert RUSSIAN_TITLE in page.text
    assert RUSSIAN_ABSTRACT in page.text
    assert "\r" not in page.text


def test_windows_1251_russian_page_parses():
    record = parse_page(decode_page(RUSSIAN_PAGE.encode("cp1251")))
    assert record.title == RUSSIAN_TITLE
    assert record.doi == "10.21682/2311-1267-2025-12-4-89-96"
    assert record.abstract == RUSSIAN_ABSTRACT


def test_latin_1_page_keeps_its_umlaut():
    data = "Congenital ALL\n\nvan der Linden MH, Möricke A, Janka G. Blood. 2009.\n".encode("latin-1")
    page = decode_page(data)
    assert "Möricke" in page.text
    assert page.encoding == "windows-1252"


def test_cp1252_smart_quotes_and_accents():
    text = "La leucémie de l\u2019enfant \u2014 une revue très détaillée, à lire.\n"
    assert decode_page(text.encode("cp1252")).text == text


def test_utf8_with_bom():
    page = decode_page(codecs.BOM_UTF8 + "Möricke A.\r\nSecond line".encode())
    assert page.text == "Möricke A.\nSecond line"
    assert page.encoding == "utf-8"


def test_utf16_with_bom():
    page = decode_page(RUSSIAN_PAGE.encode("utf-16"))
    assert page.encoding == "utf-16"
    assert RUSSIAN_TITLE in page.text


def test_html_declaring_windows_1251():
    markup = (
        "<!DOCTYPE html><html><head>"
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"<title>{RUSSIAN_TITLE}</title></head><body><h1>{RUSSIAN_TITLE}</h1>"
        "<p>https://doi.org/10.21682/2311-1267-2025-12-4-89-96</p>"
        f"<h2>Аннотация</h2><p>{RUSSIAN_ABSTRACT}</p></body></html>"
    )
    page = decode_page(markup.encode("cp1251"))
    assert (page.encoding, page.file_format) == ("windows-1251", "html")
    record = parse_page(page)
    assert (record.title, record.abstract) == (RUSSIAN_TITLE, RUSSIAN_ABSTRACT)


def test_html_meta_charset_latin1_is_read_as_windows_1252():
    markup = '<html><head><meta charset="iso-8859-1"></head><body><p>Möricke “quoted”</p></body></html>'
    page = decode_page(markup.encode("cp1252"))
    assert "Möricke “quoted”" in page.text
    assert page.encoding == "windows-1252"


def test_utf8_page_with_a_stale_latin1_declaration():
    markup = '<html><head><meta charset="iso-8859-1"></head><body><p>Möricke</p></body></html>'
    page = decode_page(markup.encode("utf-8"))
    assert "Möricke" in page.text
    assert page.encoding == "utf-8"


def test_bytes_in_no_plausible_encoding_are_rejected():
    message = rejection(bytes(range(128, 256)) * 4)
    assert message == "Cannot tell the character encoding of this file; save it as UTF-8."


def test_old_mac_newlines_are_normalised():
    assert decode_page(b"one\rtwo\r\nthree\n").text == "one\ntwo\nthree\n"


@pytest.mark.parametrize(
    ("start", "file_format"),
    [
        ("<!DOCTYPE html>\n<html>", "html"),
        ("\n\n  <html lang='en'>", "html"),
        ("<head><title>x</title></head>", "html"),
        ("Plain text that mentions <html> later is still text", "text"),
        ("Relapsed childhood acute lymphoblastic leukaemia", "text"),
    ],
)
def test_file_format(start, file_format):
    assert decode_page(f"{start}\nbody text\n".encode()).file_format == file_format
