"""Invalid UTF-8 is refused with a reason, never stored garbled (it used to come out as 'Relapsed ﹽﹼﺣ( Acute…')."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from references.importers import PageRejected, decode_page
from references.models import Work

DAMAGED_LINE = b"Relapsed \xff\xfe\xc3( Acute lymphoblastic leukaemia in infants"


def test_a_utf8_file_with_a_damaged_line_is_refused_naming_the_line():
    data = b"Title line \xc3\xa9t\xc3\xa9\n" + DAMAGED_LINE + b"\n"
    with pytest.raises(PageRejected, match="Line 2 is not valid UTF-8"):
        decode_page(data)


def test_a_file_of_damaged_bytes_is_refused():
    with pytest.raises(PageRejected, match="Cannot tell the character encoding"):
        decode_page(DAMAGED_LINE + b"\n")


def test_lines_in_a_common_8_bit_encoding_are_still_read():
    data = "Möricke A. Leukemia.\n".encode() + "Mejstríková E. Blood.\n".encode("cp1250")
    page = decode_page(data)
    assert "Mejstríková" in page.text
    assert page.encoding.startswith("utf-8+")


@pytest.mark.django_db
def test_the_command_refuses_the_damaged_page_and_writes_nothing(tmp_path, seed_paths):
    page = seed_paths["002"].read_bytes()
    path = tmp_path / "damaged.txt"
    path.write_bytes(page.replace(b"Relapsed", b"Relapsed \xff\xfe\xc3(", 1))
    with pytest.raises(CommandError):
        call_command("import_sources", str(path))
    assert not Work.objects.exists()
