"""Every filter declared once (`FILTERS`), each kind of filter one class; pure filtering.

A kind owns its fields of `Filters`, its link parameters (read with notices, written
canonically), its widget and that widget's session values, its mask of the stations table and
its part of export file names: the link (`urlstate`), the page state (`state`), the layout
(`app`) and the exports (`export`) loop over `FILTERS`. Widgets are drawn on the `ui` a caller
gives (the Streamlit module or a container): this module never imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar

import pandas as pd

from dashboard.data import show_value
from dashboard.i18n import (
    Msg,
    bureau_label,
    country_label,
    msg,
    response_label,
    status_label,
    t,
)
from dashboard.places import DEFAULT_KM, MAX_KM
from dashboard.schema import (
    BUREAU_DEFINITIONS,
    LISTED_IN_DEFINITIONS,
    RESPONSE_TYPE_DEFINITIONS,
    STATUS_DEFINITIONS,
)

# The earliest "as of" day offered (before any station was reported).
EARLIEST_AS_OF = dt.date(2016, 1, 1)
MAX_QUERY_LENGTH = 200
MAX_PARAM_VALUES = 300
MAX_PLACE_LENGTH = 100
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# A link parameter's value as given: once, or several times.
Raw = str | Sequence[str]
Params = Mapping[str, Raw]
# A widget is drawn on the Streamlit module or on one of its containers (duck-typed).
UI = Any
# The widgets' values by widget key: the session state (whose keys Streamlit types loosely).
WidgetValues = Mapping[Any, Any]


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. Empty tuples and None mean "no restriction"."""

    countries: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    bureaus: tuple[str, ...] = ()
    listed_in: tuple[str, ...] = ()
    response_types: tuple[str, ...] = ()
    query: str = ""
    date_from: str | None = None
    date_to: str | None = None
    station: str | None = None
    as_of: str | None = None
    since: str | None = None
    near: str | None = None
    km: float | None = None

    def without_station(self) -> Filters:
        return replace(self, station=None)

    @property
    def is_empty(self) -> bool:
        return self.without_station() == Filters()


@dataclass(frozen=True)
class Param:
    """One link parameter, as the README's link table shows it."""

    name: str
    example: str
    meaning: str


@dataclass(frozen=True)
class Choices:
    """The values a link may name, by the `Filters` field they are allowed in (each list
    filter's, and `station`); made by `choices_from`."""

    allowed: Mapping[str, frozenset[str]]

    @property
    def stations(self) -> frozenset[str]:
        return self.allowed["station"]


@dataclass(frozen=True)
class WidgetContext:
    """What the filter widgets need besides their values in the session state."""

    lang: str
    months: list[str]  # the month slider's options, first to last
    today: dt.date
    choices: Choices
    country_names: Mapping[str, str]  # country code: the data's name of the country
    counts: Mapping[str, int]  # stations per country code
    on_change: Callable[[], object] | None = None
    # The data version before the newest, and its release day (the "since" shortcut).
    previous: tuple[str, str] | None = None


def period(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of a YYYY, YYYY-MM or YYYY-MM-DD date."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        start = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return start, following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _date_mask(dates: pd.Series, date_from: str | None, date_to: str | None) -> pd.Series:
    """True where a (possibly partial) date's period overlaps the asked range."""
    low = period(date_from)[0] if date_from else dt.date.min
    high = period(date_to)[1] if date_to else dt.date.max
    # Decide once per distinct date (a few hundred at most), then look the answers up.
    keep = {}
    for value in dates.dropna().unique():
        start, end = period(str(value))
        keep[value] = end >= low and start <= high
    wanted = [value for value, ok in keep.items() if ok]
    return dates.isin(wanted).fillna(False).astype(bool)


def _search_mask(stations: pd.DataFrame, columns: Sequence[str], needle: str) -> pd.Series:
    hit = pd.Series(False, index=stations.index)
    for column in columns:
        found = stations[column].str.contains(needle.strip(), case=False, regex=False)
        hit |= found.fillna(False).astype(bool)
    return hit


def _acting_mask(
    stations: pd.DataFrame, kinds: tuple[str, ...], responses: pd.DataFrame | None
) -> pd.Series:
    if responses is None:
        return pd.Series(True, index=stations.index)
    acting = responses.loc[responses["response_type"].isin(kinds)]
    return stations["country_code"].isin(set(acting["country_code"]))


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", value).strip("-")[:40]


def _words(text: str) -> str:
    """`text` with its runs of white space made one space, and trimmed."""
    return " ".join(text.split())


def _values(raw: Raw) -> list[str]:
    """All comma-separated values of a parameter given once or several times."""
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        out += [v.strip() for v in str(item).split(",") if v.strip()]
    return out[:MAX_PARAM_VALUES]


def last_value(raw: Raw) -> str:
    """A parameter's value; its last when given several times."""
    if isinstance(raw, str):
        return raw
    return str(raw[-1]) if raw else ""


def _valid_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        period(value)
    except ValueError:
        return False
    return True


def month_of(value: str, months: Sequence[str], upper: bool = False) -> str:
    """The month of a partial date, clamped into `months` (a year means its first or last month)."""
    if len(value) == 4:
        value = f"{value}-12" if upper else f"{value}-01"
    return min(max(value[:7], months[0]), months[-1])


class FilterKind(ABC):
    """One kind of filter. Its subclasses are frozen dataclasses, each instance one filter of
    `FILTERS`; `in_sidebar` says whether the sidebar draws its widget (the search box and the
    station picker have their own places on the page)."""

    in_sidebar: ClassVar[bool] = True

    @property
    @abstractmethod
    def fields(self) -> tuple[str, ...]:
        """Its fields of `Filters`."""

    @property
    @abstractmethod
    def params(self) -> tuple[Param, ...]:
        """Its link parameters."""

    @abstractmethod
    def parse(
        self, params: Params, choices: Choices, today: dt.date
    ) -> tuple[dict[str, Any], list[Msg]]:
        """The valid values a link gives its fields, and a notice for each value dropped."""

    @abstractmethod
    def to_query(self, filters: Filters) -> dict[str, str]:
        """Its link parameters for `filters`, canonical; none when it does not filter."""

    @abstractmethod
    def widget_values(self, filters: Filters, months: Sequence[str]) -> dict[str, Any]:
        """The session values, by widget key, of its widgets showing `filters`."""

    @abstractmethod
    def from_widgets(self, values: WidgetValues, months: Sequence[str]) -> dict[str, Any]:
        """The values of its fields that its widgets show (`values`: the session state)."""

    @abstractmethod
    def file_parts(self, filters: Filters) -> list[str]:
        """Its parts of an export's file name."""

    def draw(self, ui: UI, ctx: WidgetContext) -> None:
        """Its widgets, drawn on `ui`."""
        raise NotImplementedError(f"the page draws the {self.fields} widget itself")

    def mask(
        self, stations: pd.DataFrame, filters: Filters, responses: pd.DataFrame | None
    ) -> pd.Series | None:
        """The rows it keeps; None when it keeps them all (not set, or applied elsewhere)."""
        return None

    def allowed_values(self, stations: pd.DataFrame) -> dict[str, frozenset[str]]:
        """The values a link may name, for those of its fields that have a list of them."""
        return {}


@dataclass(frozen=True)
class _OneField(FilterKind):
    """A filter of one field, set by one link parameter and one widget keyed by the field."""

    field: str
    param: Param
    # Its widget's label: an i18n key (with `<label>_help` and `<label>_placeholder` where its
    # widget has them).
    label: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    @property
    def params(self) -> tuple[Param, ...]:
        return (self.param,)

    def parse(
        self, params: Params, choices: Choices, today: dt.date
    ) -> tuple[dict[str, Any], list[Msg]]:
        if self.param.name not in params:
            return {}, []
        value, notices = self.read(params[self.param.name], choices, today)
        return ({} if value is None else {self.field: value}), notices

    @abstractmethod
    def read(self, raw: Raw, choices: Choices, today: dt.date) -> tuple[Any, list[Msg]]:
        """Its value from its parameter (None when not valid), and notices."""

    def write(self, value: Any) -> str:
        return str(value)

    def to_query(self, filters: Filters) -> dict[str, str]:
        value = getattr(filters, self.field)
        return {self.param.name: self.write(value)} if value else {}

    def file_parts(self, filters: Filters) -> list[str]:
        value = getattr(filters, self.field)
        return [f"{self.param.name}-{_slug(self.write(value))}"] if value else []


@dataclass(frozen=True)
class ChoiceFilter(_OneField):
    """A list of values: a station is kept when its `column` holds one of them."""

    column: str
    word: Callable[[str, WidgetContext], str]  # a value as its option says it
    # The values a link may name, in the widget's order; None: the data's values of `column`,
    # in the order of their words.
    values: tuple[str, ...] | None = None
    upper: bool = False  # the values are upper-case codes; a link's lower case is accepted
    # Keeps a station by another table (the responses) instead of by its `column` alone.
    keep: Callable[[pd.DataFrame, tuple[str, ...], pd.DataFrame | None], pd.Series] | None = None

    def __post_init__(self) -> None:
        # A link lists the values with commas between them.
        assert not any("," in value for value in self.values or ()), self.values

    def read(self, raw: Raw, choices: Choices, today: dt.date) -> tuple[Any, list[Msg]]:
        wanted = [v.upper() for v in _values(raw)] if self.upper else _values(raw)
        allowed = choices.allowed[self.field]
        kept = tuple(dict.fromkeys(v for v in wanted if v in allowed))
        dropped = [v for v in wanted if v not in allowed]
        if not dropped:
            return kept, []
        shown = ", ".join(show_value(v) for v in dropped[:5])
        return kept, [msg("unknown_values", param=self.param.name, values=shown)]

    def write(self, value: Any) -> str:
        return ",".join(value)

    def widget_values(self, filters: Filters, months: Sequence[str]) -> dict[str, Any]:
        return {self.field: list(getattr(filters, self.field))}

    def from_widgets(self, values: WidgetValues, months: Sequence[str]) -> dict[str, Any]:
        return {self.field: tuple(values.get(self.field, ()))}

    def options(self, ctx: WidgetContext) -> list[str]:
        if self.values is not None:
            return list(self.values)
        return sorted(ctx.choices.allowed[self.field], key=lambda value: self.word(value, ctx))

    def draw(self, ui: UI, ctx: WidgetContext) -> None:
        ui.multiselect(
            t(self.label, ctx.lang),
            options=self.options(ctx),
            format_func=lambda value: self.word(value, ctx),
            key=self.field,
            placeholder=t("choose_options", ctx.lang),
            on_change=ctx.on_change,
        )

    def mask(
        self, stations: pd.DataFrame, filters: Filters, responses: pd.DataFrame | None
    ) -> pd.Series | None:
        chosen = getattr(filters, self.field)
        if not chosen:
            return None
        if self.keep is not None:
            return self.keep(stations, chosen, responses)
        return stations[self.column].isin(chosen)

    def allowed_values(self, stations: pd.DataFrame) -> dict[str, frozenset[str]]:
        if self.values is not None:
            return {self.field: frozenset(self.values)}
        return {self.field: frozenset(str(v) for v in stations[self.column].dropna().unique())}


@dataclass(frozen=True)
class TextFilter(_OneField):
    """Free text, found case-insensitively and literally in any of `columns`."""

    columns: tuple[str, ...]
    limit: int = MAX_QUERY_LENGTH
    in_sidebar: ClassVar[bool] = False  # the search box sits above the map

    def read(self, raw: Raw, choices: Choices, today: dt.date) -> tuple[Any, list[Msg]]:
        text = _words(last_value(raw))
        if len(text) > self.limit:
            return text[: self.limit], [msg("query_cut", limit=self.limit)]
        return text, []

    def widget_values(self, filters: Filters, months: Sequence[str]) -> dict[str, Any]:
        return {self.field: getattr(filters, self.field)}

    def from_widgets(self, values: WidgetValues, months: Sequence[str]) -> dict[str, Any]:
        return {self.field: _words(str(values.get(self.field, "")))}

    def draw(self, ui: UI, ctx: WidgetContext) -> None:
        ui.text_input(
            t(self.label, ctx.lang),
            key=self.field,
            max_chars=self.limit,
            placeholder=t(self.label, ctx.lang),
            label_visibility="collapsed",
            on_change=ctx.on_change,
        )

    def mask(
        self, stations: pd.DataFrame, filters: Filters, responses: pd.DataFrame | None
    ) -> pd.Series | None:
        text = getattr(filters, self.field)
        return _search_mask(stations, self.columns, text) if text else None


@dataclass(frozen=True)
class MonthRange(FilterKind):
    """A range of (possibly partial) dates, `start` to `end`, on one two-ended month slider: a
    station is kept when the period of its `column` overlaps the range."""

    start: Param
    end: Param
    label: str
    column: str
    key: str = "months"  # the slider's widget key

    @property
    def fields(self) -> tuple[str, ...]:
        return ("date_from", "date_to")

    @property
    def params(self) -> tuple[Param, ...]:
        return (self.start, self.end)

    def parse(
        self, params: Params, choices: Choices, today: dt.date
    ) -> tuple[dict[str, Any], list[Msg]]:
        values, notices = {}, []
        for field, param in zip(self.fields, self.params, strict=True):
            if param.name not in params:
                continue
            value = last_value(params[param.name]).strip()
            if _valid_date(value):
                values[field] = value
            else:
                notices.append(msg("bad_date", name=param.name, value=show_value(value)))
        low, high = values.get("date_from"), values.get("date_to")
        if low and high and period(low)[0] > period(high)[1]:
            notices.append(msg("dates_swapped", low=high, high=low))
            values = {"date_from": high, "date_to": low}
        return values, notices

    def to_query(self, filters: Filters) -> dict[str, str]:
        ends = zip(self.params, (filters.date_from, filters.date_to), strict=True)
        return {param.name: value for param, value in ends if value}

    def widget_values(self, filters: Filters, months: Sequence[str]) -> dict[str, Any]:
        low = month_of(filters.date_from, months) if filters.date_from else months[0]
        high = month_of(filters.date_to, months, upper=True) if filters.date_to else months[-1]
        return {self.key: (low, max(low, high))}

    def from_widgets(self, values: WidgetValues, months: Sequence[str]) -> dict[str, Any]:
        value = values.get(self.key)
        in_range = isinstance(value, tuple | list) and len(value) == 2 and set(value) <= set(months)
        low, high = (value[0], value[1]) if in_range and value else (months[0], months[-1])
        return {
            "date_from": None if low == months[0] else low,
            "date_to": None if high == months[-1] else high,
        }

    def draw(self, ui: UI, ctx: WidgetContext) -> None:
        ui.select_slider(
            t(self.label, ctx.lang),
            options=ctx.months,
            # A two-ended default: without it Streamlit reads the slider as one-ended and keeps
            # only the first month it reports, so moving it filtered nothing. Its value itself
            # comes from the session state (the link, or the reader).
            value=(ctx.months[0], ctx.months[-1]),
            key=self.key,
            on_change=ctx.on_change,
        )

    def mask(
        self, stations: pd.DataFrame, filters: Filters, responses: pd.DataFrame | None
    ) -> pd.Series | None:
        if not (filters.date_from or filters.date_to):
            return None
        return _date_mask(stations[self.column], filters.date_from, filters.date_to)

    def file_parts(self, filters: Filters) -> list[str]:
        return [f"{name}-{value}" for name, value in self.to_query(filters).items()]


@dataclass(frozen=True)
class DayFilter(_OneField):
    """One day, `EARLIEST_AS_OF` to today: the view as it stood then (`history` applies it)."""

    def read(self, raw: Raw, choices: Choices, today: dt.date) -> tuple[Any, list[Msg]]:
        value = last_value(raw).strip()
        if not (_DAY.fullmatch(value) and _valid_date(value)):
            return None, [msg("bad_asof", value=show_value(value))]
        if not EARLIEST_AS_OF <= dt.date.fromisoformat(value) <= today:
            low = EARLIEST_AS_OF.isoformat()
            return None, [msg("asof_range", value=value, low=low, high=today)]
        return value, []

    def widget_values(self, filters: Filters, months: Sequence[str]) -> dict[str, Any]:
        day = getattr(filters, self.field)
        return {self.field: dt.date.fromisoformat(day) if day else None}

    def from_widgets(self, values: WidgetValues, months: Sequence[str]) -> dict[str, Any]:
        day = values.get(self.field)
        return {self.field: day.isoformat() if day else None}

    def draw(self, ui: UI, ctx: WidgetContext) -> None:
        ui.date_input(
            t(self.label, ctx.lang),
            key=self.field,
            on_change=ctx.on_change,
            min_value=EARLIEST_AS_OF,
            max_value=ctx.today,
            format="YYYY-MM-DD",
            help=t(f"{self.label}_help", ctx.lang),
        )


@dataclass(frozen=True)
class SinceFilter(DayFilter):
    """A day after which changes are marked on the map and listed (`changes` selects them): it
    marks, it does not filter, so it is no part of an export's file name."""

    def read(self, raw: Raw, choices: Choices, today: dt.date) -> tuple[Any, list[Msg]]:
        value = last_value(raw).strip()
        valid = bool(_DAY.fullmatch(value) and _valid_date(value))
        if not (valid and EARLIEST_AS_OF <= dt.date.fromisoformat(value) <= today):
            low = EARLIEST_AS_OF.isoformat()
            return None, [msg("bad_since", value=show_value(value), low=low)]
        return value, []

    def file_parts(self, filters: Filters) -> list[str]:
        return []


@dataclass(frozen=True)
class PlaceFilter(FilterKind):
    """Stations within a distance of a place (`places` applies it, once the place is found)."""

    place: Param
    distance: Param
    label: str
    distance_label: str

    @property
    def fields(self) -> tuple[str, ...]:
        return ("near", "km")

    @property
    def params(self) -> tuple[Param, ...]:
        return (self.place, self.distance)

    @staticmethod
    def applied_km(near: str | None, km: float | None) -> float | None:
        """The distance of a place: a distance means something only with a place, and a place
        alone takes the default distance."""
        return float(km or DEFAULT_KM) if near else None

    def parse(
        self, params: Params, choices: Choices, today: dt.date
    ) -> tuple[dict[str, Any], list[Msg]]:
        near = None
        if self.place.name in params:
            near = _words(last_value(params[self.place.name]))[:MAX_PLACE_LENGTH] or None
        km: float | None = None
        notices: list[Msg] = []
        if self.distance.name in params:
            km, notices = self._read_km(last_value(params[self.distance.name]).strip())
        found = {"near": near, "km": self.applied_km(near, km)}
        return {field: value for field, value in found.items() if value is not None}, notices

    @staticmethod
    def _read_km(value: str) -> tuple[float | None, list[Msg]]:
        try:
            km = float(value)
        except ValueError:
            km = math.nan
        if not 0 < km <= MAX_KM:  # NaN fails too
            return None, [msg("bad_km", value=show_value(value))]
        return km, []

    def to_query(self, filters: Filters) -> dict[str, str]:
        if not filters.near:
            return {}
        km = self.applied_km(filters.near, filters.km)
        return {self.place.name: filters.near, self.distance.name: f"{km:g}"}

    def widget_values(self, filters: Filters, months: Sequence[str]) -> dict[str, Any]:
        return {"near": filters.near or "", "km": float(filters.km or DEFAULT_KM)}

    def from_widgets(self, values: WidgetValues, months: Sequence[str]) -> dict[str, Any]:
        near = _words(str(values.get("near") or "")) or None
        return {"near": near, "km": self.applied_km(near, values.get("km"))}

    def draw(self, ui: UI, ctx: WidgetContext) -> None:
        near, km = ui.columns([3, 2])
        near.text_input(
            t(self.label, ctx.lang),
            key="near",
            max_chars=MAX_PLACE_LENGTH,
            placeholder=t(f"{self.label}_placeholder", ctx.lang),
            help=t(f"{self.label}_help", ctx.lang),
            on_change=ctx.on_change,
        )
        km.number_input(
            t(self.distance_label, ctx.lang),
            key="km",
            min_value=1.0,
            max_value=MAX_KM,
            step=10.0,
            on_change=ctx.on_change,
        )

    def file_parts(self, filters: Filters) -> list[str]:
        query = self.to_query(filters)
        if not query:
            return []
        near, km = query[self.place.name], query[self.distance.name]
        return [f"{self.place.name}-{_slug(near)}", f"{self.distance.name}-{km}"]


@dataclass(frozen=True)
class StationFilter(_OneField):
    """One station selected: the map opens on it and shows its details (it keeps every row)."""

    column: str = "station_id"
    in_sidebar: ClassVar[bool] = False  # picked beside the map, or on the map itself

    def read(self, raw: Raw, choices: Choices, today: dt.date) -> tuple[Any, list[Msg]]:
        value = last_value(raw).strip()
        if value in choices.allowed[self.field]:
            return value, []
        return None, [msg("bad_station", value=show_value(value))]

    def widget_values(self, filters: Filters, months: Sequence[str]) -> dict[str, Any]:
        return {self.field: getattr(filters, self.field)}

    def from_widgets(self, values: WidgetValues, months: Sequence[str]) -> dict[str, Any]:
        return {self.field: values.get(self.field)}

    def file_parts(self, filters: Filters) -> list[str]:
        return []

    def allowed_values(self, stations: pd.DataFrame) -> dict[str, frozenset[str]]:
        return {self.field: frozenset(stations[self.column])}


def _codes(definitions: Mapping[str, str]) -> str:
    return ", ".join(f"`{code}`" for code in definitions)


FILTERS: tuple[FilterKind, ...] = (
    ChoiceFilter(
        "countries",
        Param("country", "country=NL,CA", "ISO 3166-1 alpha-2 codes of the data, comma-separated"),
        "country",
        column="country_code",
        word=lambda code, ctx: (
            f"{country_label(code, ctx.lang, ctx.country_names.get(code))}"
            f" ({ctx.counts.get(code, 0)})"
        ),
        upper=True,
    ),
    ChoiceFilter(
        "statuses",
        Param("status", "status=closed,prosecuted", _codes(STATUS_DEFINITIONS)),
        "status",
        column="status",
        word=lambda code, ctx: status_label(code, ctx.lang),
        values=tuple(STATUS_DEFINITIONS),
    ),
    ChoiceFilter(
        "bureaus",
        Param("bureau", "bureau=Fuzhou", _codes(BUREAU_DEFINITIONS)),
        "bureau",
        column="operating_bureau",
        word=lambda code, ctx: bureau_label(code, ctx.lang),
        values=tuple(BUREAU_DEFINITIONS),
    ),
    ChoiceFilter(
        "listed_in",
        Param(
            "listed",
            "listed=110 Overseas (2022-09)",
            "the source that listed the station (Safeguard Defenders' reports of September and "
            f"December 2022, or another): {_codes(LISTED_IN_DEFINITIONS)}",
        ),
        "listed",
        column="listed_in",
        word=lambda code, ctx: t(f"listed_name.{code}", ctx.lang),
        values=tuple(LISTED_IN_DEFINITIONS),
    ),
    ChoiceFilter(
        "response_types",
        Param(
            "rtype",
            "rtype=closure_order",
            "countries whose government made a response of this type: "
            + _codes(RESPONSE_TYPE_DEFINITIONS),
        ),
        "response_types",
        column="country_code",
        word=lambda code, ctx: response_label(code, ctx.lang),
        values=tuple(RESPONSE_TYPE_DEFINITIONS),
        keep=_acting_mask,
    ),
    TextFilter(
        "query",
        Param(
            "q",
            "q=Chinatown",
            f"free-text search of name, city, address and summary (at most {MAX_QUERY_LENGTH} "
            "characters)",
        ),
        "search",
        columns=("name", "city", "address", "summary"),
    ),
    MonthRange(
        Param(
            "from",
            "from=2022-09",
            "first reported in or after (`YYYY`, `YYYY-MM` or "
            "`YYYY-MM-DD`; a range given backwards is swapped, with a notice)",
        ),
        Param("to", "to=2023-12", "first reported in or before (same forms as `from`)"),
        "months",
        column="first_reported_date",
    ),
    DayFilter(
        "as_of",
        Param(
            "asof",
            "asof=2022-10-01",
            f"the view as it stood that day ({EARLIEST_AS_OF.isoformat()} to today): "
            "only stations reported by then, each with the status its derived history had "
            "then; the map keeps its frame as the day changes",
        ),
        "asof",
    ),
    SinceFilter(
        "since",
        Param(
            "since",
            "since=2025-01-01",
            "mark what changed after that day: stations first reported, statuses changed and "
            "responses dated after it, and rows the changelog added or corrected in versions "
            "released after it (listed in the Changes tab; nothing is filtered out)",
        ),
        "since",
    ),
    PlaceFilter(
        Param(
            "near",
            "near=Amsterdam",
            "stations within `km` of a place: a city of the data or of the offline gazetteer "
            "(any of its names, e.g. `near=米兰`, `near=Milano`; or with its country or US "
            "state, `near=Toronto, ON`), else looked up online (OpenStreetMap) by the server",
        ),
        Param(
            "km",
            "km=50",
            f"the distance for `near`, in km (default {DEFAULT_KM:g}, at most {MAX_KM:g})",
        ),
        "near",
        "km",
    ),
    StationFilter(
        "station",
        Param(
            "station",
            "station=nl-rotterdam-1",
            "select this station: the map opens on it "
            "(zoomed no closer than its location precision allows) and shows its details",
        ),
        "station_details",
    ),
)
assert sorted(f for kind in FILTERS for f in kind.fields) == sorted(
    f.name for f in fields(Filters)
), "each field of Filters belongs to one filter"
SIDEBAR_FILTERS = tuple(kind for kind in FILTERS if kind.in_sidebar)
# The search box above the map.
SEARCH = next(kind for kind in FILTERS if isinstance(kind, TextFilter))


def choices_from(stations: pd.DataFrame) -> Choices:
    """The values a link may name, for the loaded stations."""
    return Choices({f: v for kind in FILTERS for f, v in kind.allowed_values(stations).items()})


def widget_values(filters: Filters, months: Sequence[str]) -> dict[str, Any]:
    """The session values, by widget key, of every filter widget showing `filters`."""
    return {k: v for kind in FILTERS for k, v in kind.widget_values(filters, months).items()}


def filters_from_widgets(values: WidgetValues, months: Sequence[str]) -> Filters:
    """The filters the widgets show (`values`: the session state)."""
    found: dict[str, Any] = {}
    for kind in FILTERS:
        found.update(kind.from_widgets(values, months))
    return Filters(**found)


def apply_filters(
    stations: pd.DataFrame, filters: Filters, responses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The stations matching every given filter (as-of and near are applied by their own
    modules; the `station` selection does not filter).

    With no filter the input itself is returned (not a copy): callers never modify it.
    """
    mask: pd.Series | None = None
    for kind in FILTERS:
        kept = kind.mask(stations, filters, responses)
        if kept is not None:
            mask = kept if mask is None else mask & kept
    return stations if mask is None else stations.loc[mask]


def country_counts(stations: pd.DataFrame) -> dict[str, int]:
    """Stations per country code, largest first."""
    counts = stations["country_code"].value_counts()
    return {str(code): int(n) for code, n in counts.items()}


def country_names(stations: pd.DataFrame) -> dict[str, str]:
    """The data's name of each country code."""
    first = stations.drop_duplicates("country_code")
    return dict(zip(first["country_code"].astype(str), first["country"].astype(str), strict=True))


def showing_text(shown: pd.DataFrame, total: int, lang: str = "en") -> str:
    """The always-visible count line, e.g. `Showing 2 of 100 stations in 1 country`."""
    countries = shown["country_code"].nunique()
    key = "showing_one" if countries == 1 else "showing_many"
    return t(key, lang, shown=len(shown), total=total, countries=countries)


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` inclusive, as YYYY-MM (inputs may be partial dates)."""
    start, end = period(first)[0], period(last)[0]
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
