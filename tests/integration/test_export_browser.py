"""A real browser prints the exported HTML: headless Chromium makes a PDF, poppler reads it.

What a person relies on: the page they print from ``secondview export --format html`` shows
the case (title, records, questions), shows hostile text as the characters typed (no script
runs, no markup takes effect), keeps to one page for the brief, and starts the packet's
release checklist on a page of its own.

Set-up: Chromium (Debian package ``chromium``) and ``pdftotext``/``pdfinfo`` (``poppler-utils``)
are installed here when missing: ``apt-get update`` once, then ``apt-get install -y``, only as
root. Under CI=true the test always runs (a missing tool or a failed install fails it);
elsewhere, without root or apt-get, it is skipped with the reason. Chromium runs without
network features (no background networking, component updates, sync or QUIC), with its own
throwaway profile and HOME, and every step is bounded in time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from secondview.cli import exports
from secondview.core import export
from secondview.demo import build_demo
from secondview.store import attachments
from secondview.store.content_files import load_content
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

pytestmark = pytest.mark.slow

PACKAGES = ("chromium", "poppler-utils")
INSTALL_SECONDS = 1200
PRINT_SECONDS = 120
TODAY = dt.date(2026, 3, 14)

HOSTILE_TITLE = "<script>alert(1)</script> [a](javascript:alert(2)) *not bold*"
HOSTILE_QUESTION = "# Not a heading | <img src=x onerror=alert(3)>"
SCAN_SHA = hashlib.sha256(b"%PDF-1.4 not really a scan\n").hexdigest()


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _missing_tools() -> list[str]:
    tools = {"chromium": _chromium(), "pdftotext": shutil.which("pdftotext"),
             "pdfinfo": shutil.which("pdfinfo")}
    return [name for name, path in tools.items() if not path]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _give_up(reason: str) -> None:
    if _on_ci():
        pytest.fail(f"the browser print test must run on CI: {reason}")
    print(f"\nskipping the browser print test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_tools() -> dict[str, str]:
    """Paths of chromium, pdftotext and pdfinfo; installs the Debian packages when missing."""
    missing = _missing_tools()
    if missing:
        from apt_kit import apt_install

        why = apt_install(list(PACKAGES), lambda: not _missing_tools(), INSTALL_SECONDS)
        if why:
            _give_up(f"{', '.join(missing)} missing: {why}")
        missing = _missing_tools()
        if missing:
            _give_up(f"still missing after installing {' '.join(PACKAGES)}: "
                     f"{', '.join(missing)}")
    return {"chromium": _chromium() or "", "pdftotext": shutil.which("pdftotext") or "",
            "pdfinfo": shutil.which("pdfinfo") or ""}


def print_to_pdf(tools: dict[str, str], page: Path, pdf: Path, work: Path) -> None:
    """Print ``page`` with headless Chromium to ``pdf`` (bounded in time)."""
    profile = work / f"profile-{pdf.stem}"
    profile.mkdir()
    command = [
        tools["chromium"], "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer", page.resolve().as_uri(),
    ]
    # A short TMPDIR: Chromium puts a socket there, and a Unix socket path must stay under
    # about 100 bytes (pytest's tmp folders under xdist are longer than that).
    with tempfile.TemporaryDirectory(prefix="sv-chromium-") as short_tmp:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(work), "LANG": "C.UTF-8",
               "TMPDIR": short_tmp}
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=PRINT_SECONDS, check=False)
    assert pdf.exists() and pdf.stat().st_size > 0, (
        f"chromium made no PDF (exit {done.returncode}): {done.stderr[-1500:]}"
    )


def pdf_pages(tools: dict[str, str], pdf: Path) -> list[str]:
    """The text of each page of ``pdf``, whitespace collapsed (pdftotext), checked against
    the page count pdfinfo reports."""
    info = subprocess.run([tools["pdfinfo"], str(pdf)], capture_output=True, text=True,
                          timeout=60, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    text = subprocess.run([tools["pdftotext"], "-enc",
                           "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60, check=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    assert len(pages) == count, (len(pages), count)
    return [" ".join(p.split()) for p in pages]


def literally(typed: str, page: str) -> bool:
    """Whether ``typed`` is on the page character for character (line wrapping aside: the
    browser may break a line between "]" and "(", so whitespace is left out of both)."""
    return "".join(typed.split()) in "".join(page.split())


@pytest.fixture(scope="module")
def printed(browser_tools: dict[str, str], tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, list[str]]:
    """Every document of the demo case (plus a hostile record and question), exported as
    HTML the way ``secondview export --what all --format html -o FOLDER`` writes them,
    printed to PDF; the text of each page, by document."""
    root = tmp_path_factory.mktemp("export-browser")
    paths = Paths(root / "cases", root / "data", root / "cache", root / "config")
    repo = CaseRepository(paths, Device.load_or_create(paths.data_dir), today=TODAY)
    scan = root / "mri-report.pdf"
    scan.write_bytes(b"%PDF-1.4 not really a scan\n")
    disc = root / "DICOM"
    (disc / "series1").mkdir(parents=True)
    for n in range(3):
        (disc / "series1" / f"IM{n}").write_bytes(bytes([n]) * 1000)
    try:
        opened = build_demo(repo, load_content([]))
        opened, _ = repo.add(opened, "records", {"title": HOSTILE_TITLE, "kind": "other",
                                                 "date": "2026-03-01", "source": "Family"})
        opened, _ = repo.add(opened, "questions", {"text": HOSTILE_QUESTION, "order": 99.0})
        report = next(r for r in opened.case.records if r.title == "MRI of the lower back, report")
        images = next(r for r in opened.case.records if r.title.startswith("MRI of the lower "
                                                                           "back, images"))
        for record, path in ((report, scan), (images, disc)):
            digest = attachments.hash_path(str(path))
            writes = attachments.attachment_writes(opened.state, record.id, str(path), digest,
                                                   dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
            opened = repo.apply(opened, writes, "Attached a file")
        documents, skipped = export.build_many("all", opened.case, TODAY)
    finally:
        repo.close()
    assert not skipped
    folder = root / "out"
    targets = [(folder / export.file_name(opened.case, d.what, "html"), d) for d in documents]
    exports.write_documents(targets, "html")
    work = root / "chromium"
    work.mkdir()
    result = {}
    for path, document in targets:
        pdf = work / f"{document.what}.pdf"
        print_to_pdf(browser_tools, path, pdf, work)
        result[document.what] = pdf_pages(browser_tools, pdf)
    return result


def test_the_brief_prints_on_one_page_with_the_case_in_it(printed: dict[str, list[str]]
                                                         ) -> None:
    pages = printed["brief"]
    assert len(pages) == 1, pages
    text = pages[0]
    assert "Brief for a new doctor: Dad - back surgery" in text
    assert "MRI of the lower back, report" in text  # a record
    assert "What exactly is the diagnosis, and how sure are you?" in text  # a question
    assert literally(HOSTILE_TITLE, text) and literally(HOSTILE_QUESTION, text)
    assert "Spinal stenosis at L4-L5 pressing on the nerves to both legs." in text


def test_the_packet_starts_its_release_checklist_on_a_new_page(printed: dict[str, list[str]]
                                                               ) -> None:
    pages = printed["packet"]
    assert len(pages) == 2, pages
    first, second = pages
    assert first.startswith("Records packet: Dad - back surgery")
    assert "Records index" in first and "Release checklist" not in first
    assert second.startswith("Release checklist")
    assert literally(HOSTILE_TITLE, first) and literally(HOSTILE_TITLE, second)
    assert "Standing and bending X-rays, report" in second
    # the checksums of a real file and folder, whole (a long hash may wrap, never be cut)
    assert literally(f"mri-report.pdf 27 bytes {SCAN_SHA}", first)
    assert literally("DICOM/ 3.0 kB in 3 files", first)


def test_every_document_prints_its_title_and_the_hostile_text_literally(
        printed: dict[str, list[str]]) -> None:
    assert sorted(printed) == sorted(export.WHATS)
    for what, pages in printed.items():
        text = " ".join(pages)
        assert text.startswith(f"{export.TITLES[what]}: Dad - back surgery"), (what, text[:200])
        assert "it is neither a medical record nor medical advice" in text
        assert 1 <= len(pages) <= 4, (what, len(pages))
    assert literally(HOSTILE_QUESTION, " ".join(printed["questions"]))
    comparison = " ".join(printed["comparison"])
    assert "Dr. Martin Hale" in comparison and "Dr. Amara Okafor" in comparison
