"""The side panel's charts as Vega-Lite specs, built with Altair from `panels`' small frames."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd

from dashboard.i18n import t
from dashboard.panels import TIER_CHART_COLOURS, TIER_NAMES


def _whole() -> alt.Axis:
    """An axis of counts: whole numbers only, never 0.5 of a station."""
    return alt.Axis(format="d", tickMinStep=1)


def per_country_spec(frame: pd.DataFrame, lang: str) -> dict:
    """Bars of stations per country (`panels.stations_per_country`), the most first."""
    chart = (
        alt.Chart(frame, title=t("chart_per_country", lang))
        .mark_bar()
        .encode(
            x=alt.X("stations:Q", title=t("chart_stations", lang), axis=_whole()),
            y=alt.Y("country:N", sort="-x", title=None),
            tooltip=[
                alt.Tooltip("country:N", title=t("col_country", lang)),
                alt.Tooltip("stations:Q", title=t("chart_stations", lang)),
            ],
        )
    )
    return chart.to_dict()


def per_year_spec(frame: pd.DataFrame, lang: str) -> dict:
    """Stacked bars of responses per year by strength (`panels.responses_per_year`), one colour
    per strength, strongest first."""
    order = [t(f"tier_{code}", lang) for code in TIER_NAMES]
    chart = (
        alt.Chart(frame, title=t("chart_per_year", lang))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=t("chart_year", lang)),
            y=alt.Y("responses:Q", title=t("chart_responses", lang), axis=_whole()),
            color=alt.Color(
                "type:N",
                title=t("chart_type", lang),
                scale=alt.Scale(domain=order, range=list(TIER_CHART_COLOURS)),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=0),
            ),
            order=alt.Order("order:Q"),
            # The colours name the kinds in the legend; the tooltip says it in words too.
            tooltip=[
                alt.Tooltip("year:O", title=t("chart_year", lang)),
                alt.Tooltip("type:N", title=t("chart_type", lang)),
                alt.Tooltip("responses:Q", title=t("chart_responses", lang)),
            ],
        )
    )
    return chart.to_dict()


# The charts by name, as the page asks for them.
SPECS: dict[str, Callable[[pd.DataFrame, str], dict]] = {
    "per_country": per_country_spec,
    "per_year": per_year_spec,
}
