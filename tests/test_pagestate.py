"""The page state's rules (dashboard/pagestate.py), without Streamlit: the link, the filters,
the selection, the map's reports and frame, the tabs. Each runs in milliseconds."""

from __future__ import annotations

import datetime as dt
from dataclasses import FrozenInstanceError, replace

import pytest

from dashboard import pagestate as ps
from dashboard.filters import Filters
from dashboard.i18n import Msg
from dashboard.pagestate import Built, MapBook, PageState, frame_of, same_frame, sidebar_part
from dashboard.urlstate import MapFrame
from tests.helpers import CHOICES


@pytest.mark.parametrize(
    ("value", "frame"),
    [
        ({"center": {"lat": 51.92251, "lng": 4.47921}, "zoom": 10}, MapFrame(51.9225, 4.4792, 10)),
        # The map wraps round the world: a longitude past 180 is the same place.
        ({"center": {"lat": 0, "lng": 370.0}, "zoom": 3}, MapFrame(0.0, 10.0, 3)),
        ({"center": None, "zoom": 3}, None),
        ({"zoom": 2}, None),
        ({"center": {"lat": "x", "lng": 1}, "zoom": 2}, None),
        ({}, None),
    ],
)
def test_frame_of_what_the_map_reports(value, frame):
    assert frame_of(value) == frame


def test_a_pixel_of_rounding_is_the_same_frame_but_a_pan_is_not():
    here = MapFrame(20.0, 10.0, 2)
    assert same_frame(here, MapFrame(20.3, 10.4, 2))  # under a pixel at zoom 2
    assert not same_frame(here, MapFrame(20.0, 20.0, 2))  # about 28 pixels
    assert not same_frame(here, MapFrame(20.0, 10.0, 3))  # another zoom
    assert not same_frame(MapFrame(51.92, 4.48, 10), MapFrame(51.92, 4.50, 10))


def test_only_the_sidebars_own_filters_decide_a_whole_page_run():
    # A sidebar widget reporting its value again (the month slider, when first drawn) in a
    # search's run changes no sidebar filter, even though the search changed the query.
    shown = Filters(countries=("NL",), query="Rotterdam", station="nl-rotterdam-1")
    assert sidebar_part(Filters(countries=("NL",), query="Amsterdam")) == sidebar_part(shown)
    assert sidebar_part(Filters(countries=("NL", "IE"))) != sidebar_part(shown)
    assert sidebar_part(Filters(countries=("NL",), date_from="2023-01")) != sidebar_part(shown)


# The rules of the page state, one behaviour a reader would notice per test.

TODAY = dt.date(2026, 12, 6)
MONTHS = ("2022-01", "2022-02", "2022-03")
HANDED = MapFrame(52.0, 5.0, 6)


def opened(link: dict[str, str] | None = None) -> PageState:
    """A session after its first run on `link`."""
    state = ps.open_display(PageState(), link or {})
    return ps.open_filters(state, link or {}, CHOICES, MONTHS, TODAY)


def drawn(state: PageState | None = None) -> PageState:
    """After the map's first report (its stations are drawn, the filters with them)."""
    state, _ = ps.map_report(state or opened(), {})
    return replace(state, filters_drawn=True)


def report(state: PageState, **value) -> PageState:
    return ps.map_report(state, value)[0]


def centre(frame: MapFrame) -> dict:
    return {"center": {"lat": frame.latitude, "lng": frame.longitude}, "zoom": frame.zoom}


def test_a_link_sets_language_tiles_frame_and_filters_on_the_first_run_only():
    state = opened({"lang": "zh", "tiles": "0", "map": "51.9,4.4,9", "country": "NL"})
    assert (state.lang, state.tiles, state.book.own) == ("zh-Hans", False, MapFrame(51.9, 4.4, 9))
    assert state.filters.countries == ("NL",)
    # A later run does not read the link again: the reader's own changes stay.
    later = replace(state, lang="en", filters=Filters(countries=("IE",)))
    again = ps.open_filters(ps.open_display(later, {"lang": "zh"}), {}, CHOICES, MONTHS, TODAY)
    assert (again.lang, again.filters.countries) == ("en", ("IE",))


def test_a_bad_link_applies_what_it_can_and_keeps_a_notice_for_the_rest():
    state = opened({"lang": "xx", "country": "ZZ,NL", "zzz": "1"})
    assert state.filters.countries == ("NL",)
    keys = {n.key for n in state.notices if isinstance(n, Msg)}
    assert {"bad_lang", "unknown_values", "unknown_param"} <= keys


def test_a_linked_station_centres_the_map_unless_the_link_sets_the_frame():
    assert opened({"station": "nl-rotterdam-1"}).book.centre_on == "nl-rotterdam-1"
    framed = opened({"station": "nl-rotterdam-1", "map": "10,10,3"})
    assert framed.book.centre_on is None


def test_choices_the_data_in_use_lacks_are_dropped():
    state = replace(
        opened(),
        filters=Filters(
            countries=("NL", "FR"), listed_in=("other", "x"), station="fr-paris-1", query="x"
        ),
    )
    kept = ps.open_filters(state, {}, CHOICES, MONTHS, TODAY).filters
    assert (kept.countries, kept.listed_in, kept.station) == (("NL",), ("other",), None)
    assert kept.query == "x"


def test_reset_clears_filters_notices_and_the_readers_frame():
    state = replace(opened({"country": "NL", "zzz": "1"}), book=MapBook(own=HANDED))
    after = ps.reset(state)
    assert (after.filters, after.notices, after.book.own) == (Filters(), (), None)


def test_a_place_set_from_under_the_title_is_written_again_in_the_next_whole_run():
    state = ps.set_near(opened(), name="Toronto")
    assert (state.filters.near, state.pending) == ("Toronto", True)
    wider = ps.set_near(state, km=350.0)
    assert (wider.filters.near, wider.filters.km) == ("Toronto", 350.0)
    after, rewrite = ps.take_pending(wider)
    assert rewrite
    assert not after.pending
    assert ps.take_pending(after) == (after, False)


@pytest.mark.parametrize(
    ("as_of", "months", "expected"),
    [
        (None, -1, "2026-11-06"),  # back a month from today
        ("2022-10-31", -1, "2022-09-30"),  # the same day, or the month's last
        ("2026-11-06", 1, None),  # forward to today: the present needs no as-of day
    ],
)
def test_month_steps_move_the_as_of_day(as_of, months, expected):
    state = replace(opened(), filters=Filters(as_of=as_of))
    assert ps.step_as_of(state, months, TODAY).filters.as_of == expected


def test_a_station_chosen_outside_the_map_is_selected_and_centred_once():
    state = ps.pick_from_list(opened(), "ie-dublin-1")
    assert (state.filters.station, state.book.centre_on) == ("ie-dublin-1", "ie-dublin-1")
    state, frame = ps.map_frame(state, state.filters, HANDED, MapFrame(53.3, -6.3, 10))
    assert frame == MapFrame(53.3, -6.3, 10)
    assert state.book.centre_on is None
    # The next run keeps the centred frame, and the one after fits again only on a new filter.
    assert ps.map_frame(state, state.filters, HANDED, MapFrame(53.3, -6.3, 10))[1] == MapFrame(
        53.3, -6.3, 10
    )


def test_an_id_the_data_lacks_clears_the_selection_with_a_notice():
    state = ps.pick_from_list(ps.select(opened(), "nl-rotterdam-1"), "xx-nowhere-9")
    assert state.filters.station is None
    assert [n.key for n in state.notices if isinstance(n, Msg)] == ["station_not_in_data"]


def test_a_table_row_selects_its_station_and_a_stale_row_selects_nothing():
    state = replace(opened(), table_ids=("ie-dublin-1", "nl-rotterdam-1"))
    assert ps.pick_from_table(state, [1]).filters.station == "nl-rotterdam-1"
    assert ps.pick_from_table(state, [5]).filters.station is None
    assert ps.pick_from_table(state, []).filters.station is None


def test_the_filters_come_with_the_maps_first_report_or_when_asked():
    state = opened()
    assert not state.filters_due
    assert ps.show_filters(state).filters_due
    after, first = ps.map_report(state, {})
    assert first
    assert after.filters_due
    assert ps.map_report(after, {})[1] is False  # only the first report brings them


def test_until_the_filters_are_drawn_a_change_elsewhere_runs_the_whole_page():
    assert ps.whole_page_first(opened())
    assert ps.whole_page_first(ps.map_report(opened(), {})[0])  # reported, not yet drawn
    assert not ps.whole_page_first(drawn())


def test_a_click_selects_its_station_without_moving_the_map_and_counts_once():
    popup = "Alleged station, Rotterdam ID nl-rotterdam-1 | closed"
    state = report(drawn(), last_object_clicked_popup=popup)
    assert (state.filters.station, state.book.centre_on) == ("nl-rotterdam-1", None)
    # The reader clears the selection; the map reports the same last click again: no reselect.
    cleared = ps.select(state, None)
    assert report(cleared, last_object_clicked_popup=popup).filters.station is None


def test_the_map_reaching_its_frame_is_not_a_readers_move_but_a_later_pan_is():
    state, frame = ps.map_frame(drawn(), drawn().filters, HANDED, None)
    assert frame == HANDED
    # Leaflet reports the handed frame back with a little rounding: nothing for the link.
    reached = report(state, **centre(MapFrame(52.00001, 5.00001, 6)))
    assert (reached.book.synced, reached.book.own) == (HANDED, None)
    moved = report(reached, **centre(MapFrame(40.0, -3.7, 6)))
    assert moved.book.own == MapFrame(40.0, -3.7, 6)
    assert moved.display.frame == MapFrame(40.0, -3.7, 6)  # the link carries it


def test_a_report_before_the_map_reached_its_frame_is_not_taken_as_a_move():
    state, _ = ps.map_frame(drawn(), drawn().filters, HANDED, None)
    assert report(state, **centre(MapFrame(10.0, 10.0, 3))).book.own is None


# A frame fitted to the view's stations for a desktop-sized map, with the box it fits.
FITTED = MapFrame(10.4, 25.8, 2, box=(-33.9, -99.7, 54.6, 151.2))


@pytest.mark.parametrize(
    ("reported", "handed", "reached"),
    [
        (MapFrame(10.4, 25.8, 2), FITTED, True),  # the frame itself
        (MapFrame(10.4, 25.8, 0), FITTED, True),  # widened to a phone's map, same centre
        (MapFrame(10.4, 25.8, 3), FITTED, False),  # closer: never done for the reader
        (MapFrame(40.0, -3.7, 0), FITTED, False),  # zoomed out elsewhere: a move
        (MapFrame(52.0, 5.0, 5), HANDED, False),  # a station's or the reader's frame: no box
    ],
)
def test_a_fitted_frame_is_reached_at_its_own_zoom_or_wider_around_its_centre(
    reported, handed, reached
):
    assert ps.reaches(reported, handed) is reached


def test_a_phone_widening_the_fitted_frame_puts_no_frame_in_the_link_but_a_later_pan_does():
    state, frame = ps.map_frame(drawn(), drawn().filters, FITTED, None)
    assert frame.box == FITTED.box
    # The map's first report: the fitted frame zoomed out to show the box on a phone.
    widened = report(state, **centre(MapFrame(10.4, 25.8, 0)))
    assert (widened.book.synced, widened.book.own) == (FITTED, None)
    assert widened.display.frame is None  # no `map=` in the link
    # Reported again (with a click, a layer switched), the same wider frame is still no move.
    assert report(widened, **centre(MapFrame(10.4, 25.8, 0))).book.own is None
    moved = report(widened, **centre(MapFrame(35.0, 139.0, 0)))
    assert moved.display.frame == MapFrame(35.0, 139.0, 0)


def test_zooming_out_from_a_fitted_frame_the_map_reached_is_the_readers_move():
    # On a desktop the map reports the fitted frame itself; then the reader presses "Zoom out"
    # (Leaflet keeps the centre): that frame is theirs, for the link.
    state, _ = ps.map_frame(drawn(), drawn().filters, FITTED, None)
    reached = report(state, **centre(FITTED))
    assert reached.book.own is None
    zoomed_out = report(reached, **centre(MapFrame(10.4, 25.8, 1)))
    assert zoomed_out.display.frame == MapFrame(10.4, 25.8, 1)


def test_a_readers_frame_at_the_fitted_place_is_handed_with_the_fitted_box():
    # The map widens the frame fitted to its stations whoever hands it: the page must know.
    own = MapFrame(FITTED.latitude, FITTED.longitude, FITTED.zoom)
    state = replace(drawn(), book=replace(drawn().book, own=own))
    state, frame = ps.map_frame(state, state.filters, FITTED, None)
    assert frame.box == FITTED.box
    assert report(state, **centre(MapFrame(10.4, 25.8, 0))).book.synced == FITTED


def test_the_readers_frame_stays_across_as_of_days_and_goes_with_a_new_filter():
    state = replace(drawn(), book=replace(drawn().book, own=MapFrame(40.0, -3.7, 6)))
    state, frame = ps.map_frame(state, state.filters, HANDED, None)
    assert frame == MapFrame(40.0, -3.7, 6)
    stepped = ps.set_as_of(state, dt.date(2022, 10, 1))
    assert ps.map_frame(stepped, stepped.filters, HANDED, None)[1] == MapFrame(40.0, -3.7, 6)
    filtered = replace(state, filters=Filters(countries=("NL",)))
    assert ps.map_frame(filtered, filtered.filters, HANDED, None)[1] == HANDED


@pytest.mark.parametrize(
    ("layers", "tiles"),
    [
        ([{"name": "osm-tiles"}, {"name": "outlines"}], True),
        ([{"name": "outlines"}], False),
        (None, True),  # not reported: unchanged
        ("garbage", True),
    ],
)
def test_the_tiles_switch_on_the_map_is_followed(layers, tiles):
    assert report(drawn(), selected_layers=layers).tiles is tiles


def test_the_base_map_is_built_once_per_language():
    state, built = ps.base_map(drawn(), HANDED)
    assert built == Built("en", True, HANDED)
    # The tiles switch and a new frame do not rebuild it (a new frame moves the built map).
    state = replace(state, tiles=False)
    assert ps.base_map(state, MapFrame(0, 0, 2))[1] == built
    assert ps.base_map(replace(state, lang="zh"), MapFrame(0, 0, 2))[1] == Built(
        "zh", False, MapFrame(0, 0, 2)
    )


def test_a_new_selection_opens_its_tab_and_otherwise_the_readers_tab_stays():
    state = ps.select(drawn(), "nl-rotterdam-1")
    state, tab = ps.open_tab(state, "Station")
    assert tab == "Station"
    assert ps.open_tab(state, "Station")[1] is None
    assert ps.open_tab(replace(state, lang="zh"), "站点")[1] == "站点"


def test_going_back_to_the_bundled_files_empties_the_file_choosers():
    assert ps.forget_uploads(ps.forget_uploads(opened())).upload_round == 2


def test_the_state_is_a_frozen_value():
    with pytest.raises(FrozenInstanceError):
        opened().lang = "zh"  # type: ignore[misc]


def test_the_since_shortcut_marks_changes_after_a_day_and_opens_the_changes_tab():
    state = ps.set_since(drawn(), dt.date(2026, 11, 27))
    assert state.filters.since == "2026-11-27"
    assert ps.set_since(state, None).filters.since is None
    state, tab = ps.open_tab(state, "Changes")
    assert tab == "Changes"
    assert ps.open_tab(state, "Changes")[1] is None  # the reader's tab stays
    moved = ps.set_since(state, dt.date(2025, 1, 1))
    assert ps.open_tab(moved, "Changes")[1] == "Changes"  # a new day opens it again


def test_a_selection_the_filters_leave_out_is_cleared():
    state = ps.select(drawn(), "nl-rotterdam-1")
    kept, dropped = ps.drop_hidden(state, {"nl-rotterdam-1", "ie-dublin-1"})
    assert (kept.filters.station, dropped) == ("nl-rotterdam-1", False)
    cleared, dropped = ps.drop_hidden(state, {"ie-dublin-1"})
    assert (cleared.filters.station, dropped) == (None, True)
    assert ps.drop_hidden(drawn(), set()) == (drawn(), False)  # nothing selected
