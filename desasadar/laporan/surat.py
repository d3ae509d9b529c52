"""The briefs and the e-mails that carry them: one message per recipient and brief (no shared To line)."""
from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .. import db, i18n, offices, reference, table_files
from ..export import brief_pdf, facts
from ..export.text import Words
from ..scope import Scope
from . import nasional_pdf
from .penerima import Brief, Penerima


@dataclass(frozen=True)
class Laporan:
    brief: Brief
    office: str          # "Kanwil Sumbarriau", "Nasional"
    pdf: bytes
    filename: str
    headline: str
    is_demo: bool
    snapshot_id: str
    as_of_text: str


def scope_of(brief: Brief) -> Scope:
    level, code = brief
    return {"national": Scope.national(), "region": Scope.of(regions=[code]),
            "branch": Scope.of(branches=[code])}[level]


def build(brief: Brief, served: db.Served, lang: str, year: int | None = None) -> Laporan:
    """The PDF brief of a region, branch or the nation, on the served snapshot, in that office's scope."""
    level, code = brief
    year = year or served.as_of.year
    w = Words(lang)
    # an office with an assumed seat is marked "perkiraan" wherever it is named (desasadar/offices.py)
    run_office = lambda name, **p: offices.mark_branches(db.run(name, scope_of(brief), served, **p), lang)  # noqa: E731
    if level == "national":
        k = nasional_pdf.national_kantor(run_office, year)
        pdf = nasional_pdf.national_pdf(run_office, year, lang)
        office = w.t("laporan.national")
        slug = "nasional"
    else:
        # ranked among all offices (the national headline and the rank are public figures)
        run_all = lambda name, **p: offices.mark_branches(db.run(name, Scope.national(), served, **p), lang)  # noqa: E731
        k = facts.kantor(level, code, year, run_office, run_all)
        if k is None:
            raise ValueError(f"unknown {level} {code!r}")
        pdf = brief_pdf.office_pdf(k, lang)
        office = w.office_title(k)
        slug = ("kc-" if level == "branch" else "kanwil-") + code
    if k.target:
        headline = w.t("laporan.headline", office=office, n=w.num(k.certified), target=w.num(k.target),
                       pct=w.pct(k.certified / k.target))
    else:
        headline = w.t("laporan.headline_no_target", office=office, n=w.num(k.certified))
    # demo data: DEMO- in the attachment's name too (table_files.file_name, one rule for every file)
    name = table_files.file_name(f"ringkasan-{slug}-{served.id}-{lang}", "pdf", demo=served.snapshot.is_demo)
    return Laporan(brief, office, pdf, name, headline,
                   served.snapshot.is_demo, served.id, w.date(served.as_of))


def message(lap: Laporan, to: Penerima, sender: str, lang: str, url: str | None) -> EmailMessage:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    msg = EmailMessage()
    subject = t("laporan.subject", office=lap.office, date=lap.as_of_text)
    if lap.is_demo:
        subject = t("laporan.subject_demo") + subject
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to.email
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or "localhost")
    msg["X-DSJS-Brief"] = ":".join(lap.brief).rstrip(":")
    body = t("laporan.body", name=to.name or to.email, office=lap.office, date=lap.as_of_text,
             snapshot=lap.snapshot_id, headline=lap.headline, url=url or t("laporan.no_url"))
    if lap.is_demo:
        body = t("laporan.body_demo") + "\n\n" + body
    msg.set_content(body)
    msg.add_attachment(lap.pdf, maintype="application", subtype="pdf", filename=lap.filename)
    return msg


def known(brief: Brief) -> bool:
    level, code = brief
    if level == "national":
        return True
    col, table = ("region_code", "wilayah.csv") if level == "region" else ("branch_code", "cabang.csv")
    return code in set(reference.table(table)[col])
