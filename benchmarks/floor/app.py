"""The floor: the least a Streamlit page with one st_folium map of the same points can do.

    python -m streamlit run benchmarks/floor/app.py -- FILE

One `FastMarkerCluster` of the stations' coordinates (folium's own fast path; its default
callback needs Font Awesome markers from a CDN, so the callback makes the same small div icon the
dashboard uses), one search box over the same columns as the dashboard's search (name, city,
address, summary; each change redraws the whole map), nothing else. Leaflet comes from our
static copy, as in the dashboard, so both pages load the same scripts offline.
"""

from __future__ import annotations

import sys
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from folium.plugins import FastMarkerCluster
from streamlit_folium import st_folium

from dashboard import assets

HERE = Path(__file__).resolve().parent


@st.cache_resource
def prepare() -> None:
    assets.ensure_static_assets(HERE / "static")


SEARCHED = ["name", "city", "address", "summary"]


@st.cache_data
def read(path: str) -> pd.DataFrame:
    return pd.read_csv(path, usecols=["latitude", "longitude", *SEARCHED], dtype=str).fillna("")


prepare()
stations = read(sys.argv[1])
needle = st.text_input("Search", key="q").strip()
shown = stations
if needle:
    hit = pd.Series(False, index=stations.index)
    for column in SEARCHED:
        hit |= stations[column].str.contains(needle, case=False, regex=False)
    shown = stations[hit]
st.markdown(f"Showing {len(shown)} of {len(stations)} stations")
fmap = folium.Map(location=[20, 10], zoom_start=2, tiles=None)
fmap.options["max_zoom"] = 18
fmap.default_js = assets.LEAFLET_JS
fmap.default_css = assets.LEAFLET_CSS
# The same kind of icon as the dashboard's markers (a small div), shared by every marker.
CALLBACK = """function (row) {
    window.floorIcon = window.floorIcon || L.divIcon({
        className: 'st-icon', iconSize: [20, 20],
        html: '<span style="display:block;width:20px;height:20px;border-radius:50%;' +
              'background:#E69F00"></span>'
    });
    return L.marker(new L.LatLng(row[0], row[1]), {icon: window.floorIcon});
}"""
points = shown[["latitude", "longitude"]].astype(float).to_numpy().tolist()
cluster = FastMarkerCluster(points, callback=CALLBACK)
cluster.default_js = assets.CLUSTER_JS
cluster.default_css = assets.CLUSTER_CSS
cluster.add_to(fmap)
st_folium(fmap, key="map", height=540, returned_objects=[])
