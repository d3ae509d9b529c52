"""The words and formatted numbers of a ceremony or brief, shared by the slides, the PDF and the PNG,
so all three say the same thing in the same language."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ranking
from ..words import Words as BaseWords
from .facts import Desa, Kantor, Nasional


@dataclass(frozen=True)
class Words(BaseWords):
    lang: str

    # --- village ---------------------------------------------------------------------------
    def village_title(self, d: Desa) -> str:
        return ("Kelurahan " if d.v["kind"] == "kelurahan" else "Desa ") + d.name

    def place(self, d: Desa, sep: str = " · ") -> str:
        return sep.join(
            [self.t("peresmian.kecamatan", name=d.v["district_name"]), d.v["regency_name"], d.v["province_name"]]
        )

    def seq(self, n) -> str:
        return self.t("peresmian.seq_value", n=self.num(n))

    def branch_name(self, d: Desa) -> str:
        return self.t("peresmian.branch", name=d.v["branch_name"])

    def regency_aparatur(self, d: Desa) -> str:
        """The regency's wider count (the seed's 1,450 in Kab. Bintan: RT/RW heads up to the village head and
        staff), with its two labelled parts: aparatur desa (kepala + perangkat) and RT/RW heads and staff."""
        a, r = d.v["regency_aparatur_active"] or 0, d.v.get("regency_rtrw_staf_active") or 0
        return self.t(
            "peresmian.regency_aparatur", n=self.num(a + r), a=self.num(a), r=self.num(r), regency=d.v["regency_name"]
        )

    # --- nation ---------------------------------------------------------------------------
    def gauge_label(self, n: Nasional | Kantor) -> str:
        target = n.target
        if target:
            return self.t("peresmian.gauge_label", n=self.num(n.certified), target=self.num(target))
        return self.t("peresmian.gauge_label_no_target", n=self.num(n.certified))

    def national_heading(self, n: Nasional, year: int) -> str:
        return self.t("peresmian.national_heading", year=year)

    def target_by(self, target: int | None, period_end, year: int) -> str:
        if not target:
            return self.t("peresmian.no_target", year=year)
        return self.t("peresmian.target_by", target=self.num(target), date=self.date_medium(period_end))

    def national_context(self, n: Nasional) -> str:
        if n.target:
            return self.t(
                "peresmian.national_context", n=self.num(n.certified), target=self.num(n.target), pct=self.pct(n.share)
            )
        return self.t("peresmian.national_context_no_target", n=self.num(n.certified))

    def gauge_alt(self, n: Nasional) -> str:
        if n.target:
            return self.t(
                "peresmian.gauge_alt", n=self.num(n.certified), target=self.num(n.target), pct=self.pct(n.share)
            )
        return self.national_context(n)

    def stamp(self, n: Nasional) -> str:
        return self.t("peresmian.data_as_of", date=self.date(n.as_of), snapshot=n.snapshot_id)

    def sources(self, n: Nasional) -> str:
        return self.t(
            "peresmian.sources", snapshot=n.snapshot_id, date=self.date_medium(n.as_of), source=self.source(n.target_source) or "–"
        )

    # --- branch / region ------------------------------------------------------------------
    def office_title(self, k: Kantor, long: bool = False) -> str:
        key = ("branch" if k.level == "branch" else "region") + ("_long" if long else "")
        name = k.name
        if k.r.get("name_basis") == "assumed":  # seat not from a public source: say so wherever it is named
            name += " (" + self.t("peringkat.assumed") + ")"
        return self.t(f"peresmian.{key}", name=name)

    def rank(self, k: Kantor) -> str | None:
        """'Peringkat ke-5 dari 96 kantor cabang menurut % target 2018; ke-2 dari 24 kantor cabang di Kanwil
        Sumbarriau.' (desasadar/ranking.py: one measure, tie rule and denominator); None when ranked alone."""
        pos = k.position
        if pos is None or pos.of < 2:
            return None
        parts = [ranking.position_text(pos, self.lang, k.year)]
        if k.position_region is not None and k.position_region.of >= 2 and k.position_region.of < pos.of:
            parts.append(ranking.position_text(k.position_region, self.lang, k.year))
        return self.t("peresmian.rank_sentence", text="; ".join(parts))

    def rank_tile(self, k: Kantor) -> tuple[str, str] | None:
        """The slide's rank tile: ('ke-5', 'dari 96 kantor cabang menurut % target 2018')."""
        pos = k.position
        if pos is None or pos.of < 2 or pos.rank is None:
            return None
        return ranking.position_parts(pos, self.lang, k.year)

    def status(self, k: Kantor) -> str:
        return self.t(f"peresmian.status_{k.laju['status']}")

    def pace_lines(self, k: Kantor) -> list[str]:
        """The pace in words, by the rule of queries/laju_target.sql (same as the Ringkasan page).
        Once the target is reached the recent pace is left out: it no longer decides anything."""
        p, y = k.laju, k.year
        st = p["status"]
        lines = (
            []
            if st == "achieved"
            else [
                self.t(
                    "peresmian.pace_3m",
                    start=self.date_short(p["window_3m_from"]),
                    end=self.date_short(p["window_to"]),
                    pace=self.num(p["pace_3m"] or 0, 1),
                )
            ]
        )
        if st == "no_target":
            lines.append(self.t("peresmian.pace_no_target", year=y))
        elif st == "achieved":
            lines.append(self.t("peresmian.pace_reached", year=y))
        elif st == "missed":
            lines.append(self.t("peresmian.pace_over", n=self.num(p["remaining"])))
        else:
            lines.append(
                self.t(
                    "peresmian.pace_needed",
                    per=self.num(p["needed_per_month"], 1),
                    date=self.date_medium(p["period_end"]),
                    n=self.num(p["remaining"]),
                )
            )
            if p.get("projected_on"):
                lines.append(self.t("peresmian.pace_projected", date=self.date_medium(p["projected_on"])))
        return lines

    def trend_png_args(self, k: Kantor) -> dict:
        target = k.target
        return dict(
            target=target,
            deadline=k.laju.get("period_end"),
            y_title=self.t("peresmian.trend_y"),
            target_label=self.t("peresmian.trend_target", year=k.year, target=self.num(target)) if target else "",
            needed_label=self.t("peresmian.trend_needed"),
        )

    def pace_labels(self) -> dict[str, str]:
        return {
            "pace_3m": self.t("peresmian.chart_pace_3m"),
            "pace_6m": self.t("peresmian.chart_pace_6m"),
            "needed": self.t("peresmian.chart_needed"),
        }

    def pipeline(self, k: Kantor) -> str:
        return self.t("peresmian.pipeline", proposed=self.num(k.r["proposed"]), verified=self.num(k.r["verified"]))
