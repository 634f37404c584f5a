"""Run the real tools on a .bib file: biber's data-model validation, bibtex with plain.bst, and pdflatex or lualatex.

Each returns what the tool complained about, so a test can assert there is nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

# The first run on a machine may have to generate fonts with METAFONT (pdflatex) or build luaotfload's font cache.
TIMEOUT = 300

_BIBLIOGRAPHY = r"""\usepackage{url}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{%s}
\end{document}
"""
# pdflatex builds what the ASCII export writes, and the Latin text of the UTF-8 one.
PDFLATEX_DOCUMENT = (
    r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
"""
    + _BIBLIOGRAPHY
)
# lualatex builds every script the UTF-8 export keeps, in Unicode fonts Debian installs (`make bibtex-tools`):
# DejaVu Serif, then DejaVu Sans (Hebrew, Arabic, symbols), then WenQuanYi Micro Hei (CJK). Characters none of
# them has (Devanagari, say) are left out with a "Missing character" line in the log: see missing_characters.
LUALATEX_DOCUMENT = (
    r"""\documentclass{article}
\usepackage{fontspec}
\directlua{luaotfload.add_fallback("export", {"DejaVu Sans:mode=node;", "WenQuanYi Micro Hei:mode=node;"})}
\setmainfont{DejaVu Serif}[RawFeature={fallback=export}]
\tracinglostchars=2
"""
    + _BIBLIOGRAPHY
)
DOCUMENTS = {"pdflatex": PDFLATEX_DOCUMENT, "lualatex": LUALATEX_DOCUMENT}

_BIBER_PROBLEM = re.compile(r"\b(WARN|ERROR)\b")
_BIBER_LOG_PREFIX = re.compile(r"^\[\d+\] \S+> ")  # "[100] Biber.pm:130> " before a line of the .blg
_MISSING_CHARACTER = re.compile(r"^Missing character: There is no .*?\(U\+([0-9A-F]{4,6})\)", re.MULTILINE)
_BIBTEX_PROBLEM = re.compile(r"Warning--|error message|---line \d+ of file|I couldn't open|I was expecting")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=TIMEOUT, check=False
    )


def validate_with_biber(bib_path: Path) -> list[str]:
    """The WARN and ERROR lines of `biber --tool --validate-datamodel`, plus a line if it exits non-zero."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        log = work / "biber.blg"
        result = _run(
            [
                "biber",
                "--tool",
                "--validate-datamodel",
                "--outfile",
                str(work / "out.bib"),
                "--logfile",
                str(log),
                str(bib_path.resolve()),
            ],
            work,
        )
        lines = (result.stdout + result.stderr).splitlines()
        if log.exists():
            lines += log.read_text(errors="replace").splitlines()
    lines = [_BIBER_LOG_PREFIX.sub("", line) for line in lines]
    problems = list(dict.fromkeys(line for line in lines if _BIBER_PROBLEM.search(line)))
    if result.returncode:
        problems.append(f"biber exited with {result.returncode}")
    return problems


def run_bibtex(bib_path: Path, keys: list[str]) -> list[str]:
    """Warnings and errors of classic bibtex with plain.bst, citing `keys` from a hand-written .aux file."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(bib_path, work / "refs.bib")
        citations = "".join(f"\\citation{{{key}}}\n" for key in keys)
        (work / "doc.aux").write_text(f"\\relax\n{citations}\\bibstyle{{plain}}\n\\bibdata{{refs}}\n")
        result = _run(["bibtex", "doc"], work)
        lines = result.stdout.splitlines() + (work / "doc.blg").read_text(errors="replace").splitlines()
    problems = list(dict.fromkeys(line for line in lines if _BIBTEX_PROBLEM.search(line)))
    if result.returncode:
        problems.append(f"bibtex exited with {result.returncode}")
    return problems


class BuildError(AssertionError):
    pass


def build_pdf(bib_path: Path, engine: str = "pdflatex") -> Path:
    """LaTeX, bibtex, LaTeX on a document citing every entry, next to the .bib file; the PDF's path.

    `engine` is pdflatex or lualatex. Raises BuildError with the LaTeX or bibtex errors when a step fails.
    """
    work = bib_path.parent
    (work / "doc.tex").write_text(DOCUMENTS[engine] % bib_path.stem, encoding="utf-8")
    latex = [engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    for command in (latex, ["bibtex", "doc"], latex):
        result = _run(command, work)
        if result.returncode:
            log = work / ("doc.blg" if command[0] == "bibtex" else "doc.log")
            text = log.read_text(errors="replace") if log.exists() else result.stdout
            errors = [line for line in text.splitlines() if line.startswith("!") or "error" in line.lower()]
            raise BuildError(f"{command[0]} exited with {result.returncode}: {errors or text[-2000:]}")
    pdf = work / "doc.pdf"
    if not pdf.exists():
        raise BuildError(f"{engine} wrote no PDF")
    return pdf


def missing_characters(pdf: Path) -> set[str]:
    """The characters lualatex left out of the PDF for want of a glyph in its fonts, from the build's log."""
    log = pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    return {chr(int(code, 16)) for code in _MISSING_CHARACTER.findall(log)}
