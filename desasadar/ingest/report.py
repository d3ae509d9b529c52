"""The validation report: every problem with file, row, column, value and reason.

Reasons are keys; their texts live in desasadar/locale/data.toml (`data.reason.<key>`), in
Bahasa Indonesia and English. Levels:
  file   the file (or a sheet) could not be used: nothing is published
  table  a whole table failed (too many rejected rows, no data): nothing is published
  row    the row is rejected and kept in the quarantine; the other rows are published
  note   for information (read as Windows-1252, a sheet without a report, ...)

Downloads (CSV, XLSX) neutralise cells that a spreadsheet would run as a formula.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from datetime import date

import pandas as pd

from .. import i18n
from ..table_files import neutralise

LEVELS = ("file", "table", "row", "note")
BLOCKING = ("file", "table")
COLUMNS = ["file", "sheet", "row", "column", "value", "reason", "detail", "level"]


def empty_problems() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else object) for c in COLUMNS})


@dataclass
class FileSummary:
    name: str
    format: str
    size: int
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    kinds: list[str] = field(default_factory=list)
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    blank_rows: int = 0
    usable: bool = True
    stored: str | None = None  # path inside the snapshot (sources/...)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    as_of: date
    base: str | None  # the snapshot the new one builds on (rows not reported carry forward)
    max_rejected: float
    files: list[FileSummary] = field(default_factory=list)
    problems: pd.DataFrame = field(default_factory=empty_problems)
    tables: dict[str, dict] = field(default_factory=dict)  # kind -> rows/accepted/rejected/share/result rows
    outcome: str = "checked"  # checked | published | unchanged | rejected | failed
    snapshot_id: str | None = None
    made_current: bool = False
    demo: bool = False
    error: Exception | None = None  # why publishing was refused or failed (SnapshotError: .text(lang))
    after: list[dict] = field(default_factory=list)  # steps after the swap that failed: published, but ...
    _tables: dict = field(default_factory=dict, repr=False)  # the checked tables (ingest internals)
    _structure: object = field(default=None, repr=False)  # offices.Offices the rows were checked against
    _loaded: object = field(default=None, repr=False)  # offices.Offices of an office list loaded now (or None)

    # --- verdict ----------------------------------------------------------------------------
    @property
    def blocking(self) -> pd.DataFrame:
        return self.problems[self.problems["level"].isin(BLOCKING)]

    @property
    def ok(self) -> bool:
        """Everything needed to publish holds (rows may still be rejected, within the limit)."""
        return self.blocking.empty

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.tables.values())

    @property
    def rejected(self) -> int:
        return sum(t["rejected"] for t in self.tables.values())

    @property
    def accepted(self) -> int:
        return sum(t["accepted"] for t in self.tables.values())

    def counts_by_reason(self) -> dict[str, int]:
        """Problems per reason (row problems count cells; a row may have several)."""
        return {str(k): int(v) for k, v in self.problems["reason"].value_counts().items()}

    # --- texts -------------------------------------------------------------------------------
    def messages(self, lang: str = "id") -> pd.Series:
        p = self.problems
        if p.empty:
            return pd.Series([], dtype=object)
        keyed = p["reason"].astype(str) + "\x00" + p["detail"].fillna("").astype(str)
        uniq = {k: message(k.split("\x00", 1)[0], k.split("\x00", 1)[1], lang) for k in pd.unique(keyed)}
        return keyed.map(uniq)

    def frame(self, lang: str = "id") -> pd.DataFrame:
        """The problems as a table for people: localized headers and messages."""
        p = self.problems
        T = lambda k: i18n.t(f"data.col.{k}", lang)  # noqa: E731
        out = pd.DataFrame({
            T("level"): p["level"].map(lambda x: i18n.t(f"data.level.{x}", lang)).to_numpy(),
            T("file"): p["file"].to_numpy(),
            T("row"): p["row"].astype("Int64").array,  # whole numbers in the CSV too (not 63.0)
            T("column"): p["column"].fillna("").to_numpy(),
            T("value"): p["value"].fillna("").to_numpy(),
            T("reason"): self.messages(lang).to_numpy(),
            T("sheet"): p["sheet"].fillna("").to_numpy(),
            T("code"): p["reason"].to_numpy(),
        })
        return out

    def csv(self, lang: str = "id") -> bytes:
        return to_csv(self.frame(lang))

    def summary(self, lang: str = "id") -> dict:
        """Counts for the manifest and the summary line (language-neutral keys)."""
        return {
            "as_of": self.as_of.isoformat(),
            "base": self.base,
            "outcome": self.outcome,
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "max_rejected": self.max_rejected,
            "tables": self.tables,
            "problems": self.counts_by_reason(),
            "blocking": sorted(set(self.blocking["reason"])),
        }

    def lines(self, lang: str = "id", max_files: int | None = None) -> list[str]:
        """A readable summary for the command line (with many files, those with rejected rows)."""
        from .. import fmt

        T = lambda k, **kw: i18n.t(f"data.summary.{k}", lang, **kw)  # noqa: E731
        n = lambda x: fmt.number(x, lang)  # noqa: E731
        out = [T("header", as_of=fmt.date_medium(self.as_of, lang), base=self.base or "–")]
        files = self.files
        if max_files is not None and len(files) > max_files:
            files = [f for f in files if f.rejected or not f.usable][:max_files]
        for f in files:
            out.append(T("file", name=f.name, kinds=", ".join(i18n.t(f"data.kind.{k}", lang) for k in f.kinds) or "–",
                         rows=n(f.rows), accepted=n(f.accepted), rejected=n(f.rejected)))
        if len(files) < len(self.files):
            out.append(T("more_files", count=n(len(self.files) - len(files))))
        for kind, t in self.tables.items():
            args = dict(kind=i18n.t(f"data.kind.{kind}", lang), rows=n(t["rows"]), accepted=n(t["accepted"]),
                        rejected=n(t["rejected"]), share=fmt.percent(t["share"], lang))
            out.append(T("table", **args))
            if "result_rows" in t:
                out.append(T("result", result=n(t["result_rows"]), carried=n(t.get("carried", 0))))
        counts = self.counts_by_reason()
        if counts:
            out.append(T("reasons"))
        for reason, k in sorted(counts.items(), key=lambda x: -x[1]):
            out.append(T("reason", count=n(k), reason=label(reason, lang)))
        for _, p in self.blocking.head(20).iterrows():
            if p["reason"] == "publish_failed" and self.error is not None:
                continue  # said below, in the chosen language
            where = f"{p['file']}: " if p["file"] else ""
            out.append(T("blocking", where=where, message=message(p["reason"], p["detail"] or "", lang),
                         value=f" [{p['value']}]" if p["value"] else ""))
        out.append(T(f"outcome_{self.outcome}", id=self.snapshot_id or "–",
                     current=T("made_current") if self.made_current else ""))
        if self.error is not None:
            out.append(T("refused", message=self.error_text(lang)))
        for a in self.after:
            out.append(T("published_but", message=after_text(a, lang)))
        return out

    def error_text(self, lang: str = "id") -> str:
        e = self.error
        return e.text(lang) if hasattr(e, "text") else f"{type(e).__name__}: {e}"


def label(reason: str, lang: str = "id") -> str:
    """The reason's text without its detail (for lists and filters)."""
    text = _raw(reason, lang) or reason
    text = re.sub(r"\s*\([^()]*\{detail\}[^()]*\)|:\s*\{detail\}|\{detail\}\s*", "", text)
    return text[:1].upper() + text[1:]


def after_text(after: dict, lang: str = "id") -> str:
    """A step after the swap that failed, in `lang`."""
    return i18n.t(f"data.after.{after['reason']}", lang, detail=after.get("detail", ""))


MB = 1024 * 1024  # as Streamlit counts its upload limit (server.maxUploadSize, stated in MB)


def _detail(reason: str, detail: str, lang: str) -> str:
    """Details kept as numbers in the report, written in `lang` (file_too_large: 'bytes/limit')."""
    if reason == "file_too_large" and re.fullmatch(r"\d+/\d+", detail or ""):
        from .. import fmt

        size, limit = (int(x) for x in detail.split("/"))
        lim = limit / MB
        return (f"{fmt.number(size / MB, lang, 1)} MB > "
                f"{fmt.number(lim, lang, 0 if lim == int(lim) else 1)} MB")
    if reason == "field_count_mismatch" and (parts := (detail or "").split("|")) and len(parts) == 4:
        expected, found, rows, count = parts
        more = int(count) > len(rows.split(","))
        return i18n.t("data.detail.field_count", lang, expected=expected, found=found,
                      rows=", ".join(rows.split(",")) + (" …" if more else ""), count=count)
    return detail


def message(reason: str, detail: str, lang: str) -> str:
    """The reason's text in `lang` with its detail."""
    detail = _detail(reason, detail, lang)
    text = i18n.t(f"data.reason.{reason}", lang, detail=detail)
    if "{detail}" not in _raw(reason, lang) and detail:
        text += f" ({detail})"
    return text


def _raw(reason: str, lang: str) -> str:
    entry = i18n.catalogue().get(f"data.reason.{reason}") or {}
    return entry.get(lang) or entry.get("id") or ""


def to_csv(df: pd.DataFrame, sep: str = ";") -> bytes:
    """UTF-8 with BOM and ';' (opens cleanly in Excel set to Indonesian); formulas neutralised."""
    buf = io.StringIO()
    neutralise(df).to_csv(buf, sep=sep, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
