"""Rankings of wilayah, cabang and villages: measures, bands, the tie rule, and the tables people see.

Pure functions (no Streamlit): the Peringkat page and its tests use them, and a brief could too.
The ranks themselves are computed in SQL (queries/*_peringkat.sql); this module only names the
measures, validates a measure taken from the URL, and turns a query result into the visible table
with labels in the viewer's language (the same table is downloaded as CSV/XLSX).

Tie rule (stated on the page): equal values share a rank, standard competition ranking (1, 1, 3);
rows without a value are unranked and listed last; within a rank rows are in alphabetical order.

The one rank quoted outside the Peringkat table (ceremony slide, every brief, the page's "your
position" line) is `position()`: measure RANK_MEASURE (% of the year's target, certified counted on
the evaluation date), the tie rule above, and as denominator the offices of the same level that have
a value for the measure in the viewer's scope (national) or in the office's Kanwil. It is always
stated with its measure and denominator by `position_text()`: "ke-5 dari 96 kantor cabang menurut
% target 2018".
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import fmt, frame_memo, i18n, offices

# Measures for wilayah and cabang, best-known first; the URL parameter `ukuran` holds one of them.
OFFICE_MEASURES = ("persen_target", "tersertifikasi", "peserta", "cakupan", "aparatur")
OFFICE_DEFAULT = "persen_target"
# Measures for villages (URL parameter `ukuran_desa`). 'hari' ranks fewer days first.
VILLAGE_MEASURES = ("peserta", "cakupan", "hari")
VILLAGE_DEFAULT = "peserta"

# Bands of % of target, best first; colours follow charts.theme.BAND_COLORS in this order.
BANDS = ("ge100", "75_100", "50_75", "25_50", "lt25", "none")

# The office-table column that shows each measure (highlighted on the page).
_MEASURE_COLUMN = {
    "persen_target": "pct_target",
    "tersertifikasi": "certified",
    "peserta": "participants_certified",
    "cakupan": "coverage",
    "aparatur": "aparatur",
}
_VILLAGE_MEASURE_COLUMN = {"peserta": "participants_active", "cakupan": "coverage", "hari": "days_to_certify"}


# The measure of the one rank quoted on slides, briefs and the page's position line.
RANK_MEASURE = "persen_target"


@dataclass(frozen=True)
class Position:
    """An office's rank on one measure among the offices of its level that have a value.
    `rank` None: the office has no value (unranked); `of`: offices ranked; `region_name`: set when
    the field is one Kanwil's branches; `assumed`: offices in the field whose seat is assumed."""
    level: str
    measure: str
    rank: int | None
    of: int
    region_name: str | None = None
    assumed: int = 0


def position(df: pd.DataFrame, level: str, code: str, measure: str = RANK_MEASURE, *,
             within_region: bool = False) -> Position | None:
    """The rank of office `code` in a cabang_peringkat / wilayah_peringkat result (any measure: the
    query's `value`). `within_region`: among the branches of the office's own Kanwil. Competition
    ranking (1, 1, 3) recomputed on the field, so it equals the page's rank for that same field."""
    code_col = "branch_code" if level == "branch" else "region_code"
    me = df[df[code_col] == code]
    if me.empty:
        return None
    field = df
    region_name = None
    if within_region and level == "branch":
        field = df[df["region_code"] == me["region_code"].iloc[0]]
        region_name = str(me["region_name"].iloc[0])
    values = field["value"].dropna()
    mine = me["value"].iloc[0]
    rank = None if pd.isna(mine) else int((values > mine).sum()) + 1
    assumed = int((field.loc[values.index, "name_basis"] == "assumed").sum()) if "name_basis" in field else 0
    return Position(level, measure, rank, int(len(values)), region_name, assumed)


def position_parts(pos: Position, lang: str, year: int) -> tuple[str, str]:
    """('ke-5', 'dari 96 kantor cabang menurut % target 2018'), for a big number with its caption;
    ('–', 'belum berperingkat menurut ...') when unranked. Offices of assumed seat are counted."""
    measure = i18n.t(f"peringkat.measure_rank.{pos.measure}", lang, year=year)
    unit = i18n.t(f"peringkat.position.unit_{pos.level}", lang)
    if pos.region_name:
        unit = i18n.t("peringkat.position.in_region", lang, unit=unit, region=pos.region_name)
    if pos.rank is None:
        return "–", i18n.t("peringkat.position.unranked", lang, measure=measure)
    rest = i18n.t("peringkat.position.of", lang, n=fmt.number(pos.of, lang), unit=unit, measure=measure)
    if pos.assumed:
        rest += i18n.t("peringkat.position.assumed", lang, n=fmt.number(pos.assumed, lang))
    return i18n.t("peringkat.position.rank", lang, rank=fmt.number(pos.rank, lang)), rest


def position_text(pos: Position, lang: str, year: int) -> str:
    """'ke-5 dari 96 kantor cabang menurut % target 2018' (+ ' (40 di antaranya kantor perkiraan)')."""
    big, rest = position_parts(pos, lang, year)
    return rest if pos.rank is None else f"{big} {rest}"


@dataclass(frozen=True)
class Ends:
    """The best and the lagging offices of a ranking by % of target (Ringkasan), `k` = min(5, ranked // 2) each,
    as rows with rank, branch_name, name_basis, pct_target, certified, target."""
    best: tuple
    lagging: tuple
    ranked: int
    unranked: int


@frame_memo.per_frame
def ends(df: pd.DataFrame, k_max: int = 5) -> Ends:
    """Best and lagging of a cabang_peringkat result, once per result frame (not on every rerun)."""
    ranked = df[df["rank"].notna()].sort_values(["rank", "branch_name"])
    k = min(k_max, len(ranked) // 2)
    cols = ["rank", "branch_name", "name_basis", "pct_target", "certified", "target"]
    return Ends(tuple(ranked.head(k)[cols].itertuples(index=False)), tuple(ranked.tail(k)[cols].itertuples(index=False)),
                len(ranked), int(df["rank"].isna().sum()))


def parse_choice(raw: str | None, options: tuple[str, ...], default: str) -> tuple[str, str | None]:
    """The option named by a URL value, or the default; second item is the rejected value (or None)."""
    if raw is None or raw == "":
        return default, None
    if raw in options:
        return raw, None
    return default, raw


def band_color(band: str) -> str:
    from .charts.theme import BAND_COLORS

    return BAND_COLORS[BANDS.index(band)]


def band_label(band: str, lang: str) -> str:
    return i18n.t(f"peringkat.band.{band}", lang)


def movement_text(movement, places, lang: str) -> str:
    """'▲ 2', '▼ 1', 'tetap' / 'same', 'baru' / 'new', or '–' (unranked, or no previous snapshot).
    (Never text starting with '=', which a spreadsheet would read as a formula.)"""
    if movement is None or movement != movement or movement is pd.NA:
        return "–"
    if movement == "up":
        return "▲ " + fmt.number(places, lang)
    if movement == "down":
        return "▼ " + fmt.number(-places, lang)
    if movement == "same":
        return i18n.t("peringkat.movement.same", lang)
    return i18n.t("peringkat.movement.new", lang)


@dataclass(frozen=True)
class Table:
    """A ranking as shown: `frame` has the visible columns with labels in the viewer's language
    (the most asked-for first: rank, change, name, certified, new, target, % of target, coverage),
    `codes` the office/village code of each row (same order), `kinds` what each column holds
    (for formatting: 'rank', 'text', 'count', 'percent', 'date'), `measure` the label of the
    column the ranking is by, `helps` a tooltip per column where the label needs one."""
    frame: pd.DataFrame
    codes: list[str]
    kinds: dict[str, str]
    measure: str
    helps: dict[str, str]


def _pct100(s: pd.Series) -> pd.Series:
    """A share (0.552) as a percentage rounded to 1 decimal (55.2); missing stays missing."""
    return (s.astype("float64") * 100).round(1)


def _int(s: pd.Series) -> pd.Series:
    return s.astype("Int64")


def office_table(df: pd.DataFrame, level: str, measure: str, lang: str, *, year: int,
                 prev_date=None, with_region: bool = True) -> Table:
    """The visible table of a wilayah (`level`='region') or cabang (`level`='branch') ranking."""
    T = lambda k, **kw: i18n.t(f"peringkat.col.{k}", lang, **kw)  # noqa: E731
    code_col = "branch_code" if level == "branch" else "region_code"
    cols: list[tuple[str, str, pd.Series]] = [
        (T("rank"), "rank", _int(df["rank"])),
        (T("change"), "text", pd.Series([movement_text(m, p, lang) for m, p in zip(df["movement"], df["places"])],
                                        index=df.index, dtype="object")),
        (T("branch") if level == "branch" else T("region"), "text", office_names(df, level, lang)),
    ]
    if level == "branch" and with_region:
        cols.append((T("region"), "text", df["region_name"].astype("object")))
    if level == "region":
        cols.append((T("branches"), "count", _int(df["branches"])))
    labels = {
        "certified": T("certified"),
        "target": T("target", year=year),
        "pct_target": T("pct_target"),
        "participants_certified": T("participants_certified"),
        "coverage": T("coverage"),
        "aparatur": T("aparatur"),
    }
    # day and month: the year is in the snapshot stamp and the file name
    new_label = T("new_since", date=fmt.day_month(prev_date, lang)) if prev_date is not None else T("new")
    cols += [
        (labels["certified"], "count", _int(df["certified"])),
        (new_label, "count", _int(df["certified_new"])),
        (labels["target"], "count", _int(df["target"])),
        (labels["pct_target"], "percent", _pct100(df["pct_target"])),
        (labels["coverage"], "percent", _pct100(df["coverage"])),
        (labels["participants_certified"], "count", _int(df["participants_certified"])),
        (labels["aparatur"], "count", _int(df["aparatur"])),
        (T("pipeline"), "count", _int(df["pipeline"])),
        (T("band"), "text", pd.Series([band_label(b, lang) for b in df["band"]], index=df.index, dtype="object")),
    ]
    frame = pd.DataFrame({label: s.reset_index(drop=True) for label, _, s in cols})
    kinds = {label: kind for label, kind, _ in cols}
    helps = _helps(lang, {T("rank"): "rank", T("change"): "change", labels["pct_target"]: "pct_target",
                          labels["certified"]: "certified",
                          T("pipeline"): "pipeline", labels["aparatur"]: "aparatur", labels["coverage"]: "coverage",
                          labels["participants_certified"]: "participants_certified", new_label: "new_since"})
    return Table(frame, list(df[code_col]), kinds, labels[_MEASURE_COLUMN[measure]], helps)


def office_names(df: pd.DataFrame, level: str, lang: str) -> pd.Series:
    """Office names as shown in rankings: an office whose seat is assumed (not in a public source) is marked
    'Surabaya (perkiraan)' / 'Surabaya (assumed)'."""
    name_col = "branch_name" if level == "branch" else "region_name"
    if level != "branch":
        return df[name_col].astype("object")
    return offices.labels(df, lang, name_col)


def village_table(df: pd.DataFrame, measure: str, lang: str, *, with_branch: bool = True) -> Table:
    """The visible table of a village ranking."""
    T = lambda k, **kw: i18n.t(f"peringkat.col.{k}", lang, **kw)  # noqa: E731
    labels = {
        "participants_active": T("participants_active"),
        "coverage": T("village_coverage"),
        "days_to_certify": T("days_to_certify"),
    }
    cols: list[tuple[str, str, pd.Series]] = [
        (T("rank"), "rank", _int(df["rank"])),
        (T("change"), "text", pd.Series([movement_text(m, p, lang) for m, p in zip(df["movement"], df["places"])],
                                        index=df.index, dtype="object")),
        (T("village"), "text", df["village_name"].astype("object")),
        (labels["participants_active"], "count", _int(df["participants_active"])),
        (labels["coverage"], "percent", _pct100(df["coverage"])),
        (labels["days_to_certify"], "count", _int(df["days_to_certify"])),
        (T("certified_on"), "date", pd.to_datetime(df["certified_on"]).dt.date.astype("object")),
        (T("workforce"), "count", _int(df["workforce_estimate"])),
        (T("district"), "text", df["district_name"].astype("object")),
        (T("regency"), "text", df["regency_name"].astype("object")),
    ]
    if with_branch:
        cols.append((T("branch"), "text", df["branch_name"].astype("object")))
    frame = pd.DataFrame({label: s.reset_index(drop=True) for label, _, s in cols})
    kinds = {label: kind for label, kind, _ in cols}
    helps = _helps(lang, {T("rank"): "rank", T("change"): "change", labels["days_to_certify"]: "days_to_certify"})
    return Table(frame, list(df["village_code"]), kinds, labels[_VILLAGE_MEASURE_COLUMN[measure]], helps)


def _helps(lang: str, keys: dict[str, str]) -> dict[str, str]:
    return {label: i18n.t(f"peringkat.colhelp.{k}", lang) for label, k in keys.items()}


@dataclass(frozen=True)
class Band:
    band: str
    count: int
    leader: str | None          # name of the leader (highest % of target; ties: more certified, then name)
    leader_pct: float | None
    leader_certified: int | None
    mover: str | None           # most villages certified since the previous snapshot (None: nobody moved)
    mover_new: int | None


@frame_memo.per_frame
def bands(df: pd.DataFrame, level: str = "branch", lang: str = "id") -> list[Band]:
    """One entry per band (all six, empty ones too) from a *_peringkat result.
    Computed once per result frame (frame_memo); the list is shared, read it only."""
    names = office_names(df, level, lang)  # an assumed office marked "perkiraan", as in the table
    out = []
    for b in BANDS:
        part = df[df["band"] == b]
        lead = part[part["band_leader"]]
        move = part[part["band_mover"]]
        out.append(Band(
            band=b,
            count=len(part),
            leader=names.loc[lead.index[0]] if len(lead) else None,
            leader_pct=_float(lead["pct_target"].iloc[0]) if len(lead) else None,
            leader_certified=int(lead["certified"].iloc[0]) if len(lead) else None,
            mover=names.loc[move.index[0]] if len(move) else None,
            mover_new=int(move["certified_new"].iloc[0]) if len(move) else None,
        ))
    return out


def _float(x) -> float | None:
    return None if pd.isna(x) else float(x)


def file_stem(kind: str, snapshot_id: str, where: str | None) -> str:
    """A download's file name without extension: peringkat-cabang-sumbarriau-2018-08-01."""
    parts = ["peringkat", kind] + ([where] if where else []) + [snapshot_id]
    return "-".join(p for p in parts if p)
