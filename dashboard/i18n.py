"""The interface's words in English and Simplified Chinese (简体中文).

Every label, notice, legend, status and response-type name the page shows is a key here with
both languages (tests/test_i18n.py checks that none lacks one). Data values (names, summaries,
sources) are shown as the data has them. `t(key, lang, **values)` fills `{placeholders}`;
a `Msg` is a message decided now and put into words later, in whatever language is active then.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field

from dashboard.schema import (
    BUREAU_DEFINITIONS,
    LISTED_IN_DEFINITIONS,
    PRECISION_DEFINITIONS,
    STATUS_DEFINITIONS,
)

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"
# Said only in other languages: the note that validation details stay in English.
ONLY_IN_TRANSLATION = frozenset({"problems_english"})

# key: (English, 简体中文)
_UI: dict[str, tuple[str, str]] = {
    "page_title": ("Alleged Chinese overseas police stations", "被指称的中国海外警务站"),
    "title": (
        "Alleged Chinese overseas police “service stations”",
        "被指称的中国海外警务“服务站”",
    ),
    "language": ("Language / 语言", "语言 / Language"),
    "filters": ("Filters", "筛选"),
    "filters_pending": (
        "The filters appear as soon as the map has drawn its stations.",
        "地图绘出服务站后，筛选条件随即显示。",
    ),
    "show_filters": ("Show the filters now", "立即显示筛选条件"),
    "country": ("Country", "国家"),
    "status": ("Status", "状态"),
    "bureau": ("Operating bureau (as reported)", "所属公安局（据报道）"),
    "bureau_unknown": ("unknown", "不详"),
    "listed": ("Listed in", "收录于"),
    "response_types": ("Countries whose government did…", "政府采取了以下行动的国家…"),
    "choose_options": ("Choose options", "请选择"),
    "months": ("First reported between", "首次报道时间"),
    "search": ("Search name, city, address, summary", "搜索名称、城市、地址、摘要"),
    "search_placeholder": ("e.g. Fuzhou", "例如 Fuzhou"),
    "asof": ("As of (empty: today)", "截至日期（留空：今天）"),
    "asof_help": (
        "Show the map, counts, panels and table as they stood on that day: only the stations "
        "reported by then, each with the status its derived history had then.",
        "按当天的情况显示地图、统计、面板和表格：只含当天之前已被报道的服务站，"
        "状态为其推导历史在当天的状态。",
    ),
    "since": ("Mark what changed since", "标出此日期之后的变化"),
    "since_help": (
        "Mark on the map and list in the Changes tab the stations first reported, the statuses "
        "changed and the government responses dated after that day, and the rows the data's "
        "changelog added or corrected in versions released after it.",
        "在地图上标出并在“变化”标签页中列出：该日期之后首次报道的服务站、状态变化和政府回应，"
        "以及此后发布的数据版本中新增或更正的记录。",
    ),
    "since_version": (
        "Since data version {version} ({day})",
        "自数据版本 {version}（{day}）以来",
    ),
    "since_version_help": (
        "Mark what changed after data version {version} was released.",
        "标出数据版本 {version} 发布之后的变化。",
    ),
    "tab_changes": ("Changes", "变化"),
    "changes_pick": (
        "Choose a day under 'Mark what changed since' (or the button for the previous data "
        "version): what changed after it is marked on the map and listed here.",
        "在“标出此日期之后的变化”中选择日期（或点击上一数据版本按钮）：之后的变化会在地图上标出并在此列出。",
    ),
    "changes_none": (
        "Nothing in this view changed after {day}.",
        "此视图中 {day} 之后没有变化。",
    ),
    "since_line": (
        "{count} changes after {day} in this view: dashed purple rings on the map, listed in "
        "the Changes tab.",
        "此视图中 {day} 之后有 {count} 项变化：地图上以紫色虚线圈标出，并列于“变化”标签页。",
    ),
    "change_reported": ("first reported", "首次报道"),
    "change_status": ("status now {status}", "状态变为 {status}"),
    "change_recorded": (
        "row added or corrected in data version {version}",
        "该记录于数据版本 {version} 新增或更正",
    ),
    "month_back": ("← 1 month", "← 1 个月"),
    "month_forward": ("1 month →", "1 个月 →"),
    "month_back_help": (
        "Move the as-of date one month earlier.",
        "把截至日期提前一个月。",
    ),
    "month_forward_help": (
        "Move the as-of date one month later (up to today).",
        "把截至日期推后一个月（最晚到今天）。",
    ),
    "near": ("Near a place", "某地附近"),
    "near_placeholder": ("e.g. Amsterdam", "例如 Amsterdam"),
    "near_help": (
        "A city of the data, or any city of 15,000 people or more in the offline gazetteer, by "
        "any of its names (Milano, 米兰) or with its country (Milan, Italy; Toronto, ON); "
        "other places are looked up online (OpenStreetMap) when the server has a network.",
        "数据中的城市，或离线地名库中人口 1.5 万以上的任何城市，可用其任一名称（Milano、米兰）"
        "或加上国家（Milan, Italy；Toronto, ON）；服务器联网时，其他地点通过 OpenStreetMap "
        "在线查找。",
    ),
    "km": ("within km", "范围（公里）"),
    "reset": ("Reset filters", "重置筛选"),
    "tiles": ("OpenStreetMap tiles", "OpenStreetMap 底图瓦片"),
    "tiles_help": (
        "Off: the page requests nothing from any other site; the map shows country outlines "
        "served by this app.",
        "关闭时，页面不向任何其他网站发出请求；地图显示本应用提供的国家轮廓。",
    ),
    "own_files": ("Use your own files", "使用你自己的文件"),
    "own_files_help": (
        "CSV files of the same schema as the bundled data (see data/README.md), up to 5 MB each. "
        "They are checked, kept in memory for your session only, and never saved.",
        "与内置数据结构相同的 CSV 文件（见 data/README.md），每个最大 5 MB。"
        "文件会被检查，只在你的会话内存中保留，不会被保存。",
    ),
    "stations_csv": ("Stations CSV", "服务站 CSV"),
    "responses_csv": ("Responses CSV", "政府回应 CSV"),
    "back_to_bundled": ("Back to the bundled data", "回到内置数据"),
    "origin_bundled": ("the bundled {name}", "内置的 {name}"),
    "origin_none": ("no responses", "无政府回应数据"),
    "checking": ("Checking the data...", "正在检查数据……"),
    "looking_up": ("Looking up the place...", "正在查找地点……"),
    "not_used": (
        "Not used: {problem}. The data in use before stays in use.",
        "未采用：{problem}。之前使用的数据继续有效。",
    ),
    "problems_english": (
        "",
        "以下问题明细为英文，与 CSV 列名一致（见 data/README.md）。",
    ),
    "more_problems": (
        "… and {count} more (download the full list)",
        "……还有 {count} 个（请下载完整列表）",
    ),
    "download_problems": ("Download the full list of problems", "下载完整问题列表"),
    "origin_note": (
        "Showing stations from {stations} and responses from {responses}.",
        "服务站数据来自 {stations}，政府回应数据来自 {responses}。",
    ),
    "static_off": (
        "Static file serving is off, so the map cannot load. Start the app from the repository "
        "root (where .streamlit/config.toml is) or pass --server.enableStaticServing true.",
        "静态文件服务已关闭，地图无法加载。请在仓库根目录（.streamlit/config.toml 所在处）"
        "启动应用，或加上 --server.enableStaticServing true。",
    ),
    "showing_one": (
        "Showing {shown} of {total} stations in {countries} country",
        "显示 {total} 个服务站中的 {shown} 个，分布于 {countries} 个国家",
    ),
    "showing_many": (
        "Showing {shown} of {total} stations in {countries} countries",
        "显示 {total} 个服务站中的 {shown} 个，分布于 {countries} 个国家",
    ),
    "near_not_applied": (
        "{why} The distance filter is not applied.",
        "{why} 距离筛选未生效。",
    ),
    "within": (
        "Within {km} km of {place} ({lat}, {lon}; found in the {how}).",
        "距 {place} {km} 公里以内（{lat}, {lon}；来源：{how}）。",
    ),
    "found_dataset": ("dataset", "数据集"),
    "found_gazetteer": ("offline gazetteer", "离线地名库"),
    "found_online": ("online lookup (OpenStreetMap)", "在线查找（OpenStreetMap）"),
    "orphans": (
        "{count} government response(s) concern stations that are not in the loaded stations "
        "file; they are set aside.",
        "有 {count} 条政府回应涉及的服务站不在已加载的服务站文件中，已暂时搁置。",
    ),
    "map_caption": (
        "Markers show the status by colour, letter and legend. Dashed squares are placed at the "
        "country's centre: only the country is known. Clusters open as you zoom in. The layer "
        "control (top left) shows countries shaded by stations or by strongest response.",
        "标记以颜色、字母和图例表示状态。虚线方块位于国家中心：只知道所在国家。放大后聚合点会展开。"
        "左上角的图层控制可按服务站数量或最强政府回应为国家着色。",
    ),
    "tab_station": ("Station", "服务站"),
    "tab_overview": ("Overview", "概况"),
    "tab_charts": ("Charts", "图表"),
    "no_station_yet": (
        "No station selected: click one on the map, choose it above or pick a row of the table.",
        "尚未选择服务站：请在地图上点击、在上方选择，或在表格中选中一行。",
    ),
    "clear_station": ("Clear selection", "取消选择"),
    "selected_cue": (
        "Selected: {name} ({status}). Its details follow below the map ↓",
        "已选择：{name}（{status}）。详情在地图下方 ↓",
    ),
    "asof_heading": (
        "As of {day}: {count} stations reported so far",
        "截至 {day}：已报道 {count} 个服务站",
    ),
    "data_reviewed": ("data last reviewed {day}", "数据最近核查于 {day}"),
    "record_changed": (
        "Record last changed in data version {version} ({day}).",
        "此条记录最近一次修改于数据版本 {version}（{day}）。",
    ),
    "record_checked": ("Sources last checked {day}.", "来源最近核对于 {day}。"),
    "record_stale": (
        "Not re-checked for more than a year: its sources may have changed since.",
        "超过一年未重新核对：其来源此后可能已有变化。",
    ),
    "reports_marks": (
        "Safeguard Defenders' reports: see the map as of the day each was published.",
        "保护卫士的报告：查看每份报告发布当天的地图。",
    ),
    "report_day_help": (
        "Set the as-of date to the day {title} was published ({stations} stations by then).",
        "把截至日期设为《{title}》发布当天（当时共 {stations} 个服务站）。",
    ),
    "coverage": (
        "Safeguard Defenders reported {reported} stations in 53 countries. This data identifies "
        "{identified} of them, {country_only} only to their country (dashed squares on the map). "
        "{missing} are not identified in any source we could read: the reports' master table "
        "is published only as images. {others} more stations come from later reporting.",
        "保护卫士报告了 53 个国家的 {reported} 个服务站。本数据识别出其中 {identified} 个，"
        "其中 {country_only} 个只知道所在国家（地图上的虚线方块）。另有 {missing} 个在我们能读到的"
        "任何来源中都无法识别：报告的总表只以图片形式发布。另外 {others} 个服务站来自后来的报道。",
    ),
    "reports": ("The reports", "报告"),
    "about": ("About the data, method and how to cite", "关于数据、方法和引用方式"),
    "method": (
        "Every row rests on at least one public source, linked in the station's details: "
        "Safeguard Defenders' two reports and the news organisations, governments, courts and "
        'parliaments that reported on each station. A row means "publicly reported as such a '
        'station", not a finding that it is one; the status records what officials said. '
        "Coordinates are never at street level: a city's or district's centre, or a country's "
        "centre where only the country is known. A station's status history is derived from the "
        "dated government responses. Summaries are in English.",
        "每一行至少有一个公开来源（见服务站详情中的链接）：保护卫士的两份报告，以及报道各服务站的"
        "新闻机构、政府、法院和议会。一行表示“被公开报道为此类服务站”，并不是认定其确实如此；"
        "状态记录的是官方的说法。坐标从不精确到街道：为城市或城区中心，只知道国家时为国家中心。"
        "服务站的状态历史由有日期的政府回应推导得出。摘要为英文。",
    ),
    "data_version": ("Data version", "数据版本"),
    "version": (
        "{version}, reviewed {reviewed}, commit {commit}",
        "{version}，核查于 {reviewed}，提交 {commit}",
    ),
    "version_unstated": (
        "not stated for these files (they are not the bundled data), commit {commit}",
        "这些文件未注明版本（不是内置数据），提交 {commit}",
    ),
    "n_stations_one": ("{count} station", "{count} 个服务站"),
    "n_stations_many": ("{count} stations", "{count} 个服务站"),
    "n_responses_one": ("{count} response", "{count} 条回应"),
    "n_responses_many": ("{count} responses", "{count} 条回应"),
    "download_responses": (
        "Download responses CSV ({responses})",
        "下载政府回应 CSV（{responses}）",
    ),
    "map_key": ("Key", "图例"),
    "map_label": ("Map of the stations in this view", "本视图中服务站的地图"),
    "cluster_stations": ("{n} stations", "{n} 个服务站"),
    "cluster_in": ("{count} in {place}", "位于{place}的{count}"),
    "cluster_country": ("{count} in {place}: {list}", "位于{place}的{count}：{list}"),
    "cluster_countries": ("{count} in {k} countries: {list}", "{k} 个国家：{count}（{list}）"),
    "list_and_more": ("{list} and more", "{list}等"),
    "map_layers": ("Layers", "图层"),
    "tab_status": ("Reporting status", "报道状态"),
    "tab_responses": ("Government responses", "政府回应"),
    "tab_country": ("By country", "按国家"),
    "station_details": ("Station details", "服务站详情"),
    "choose_station": ("Choose a station…", "选择一个服务站…"),
    "station_id_input": ("Station details: station ID", "服务站详情：服务站 ID"),
    "too_many_to_list": (
        "{count} stations are too many to list here: click one on the map or in the table, or "
        "type its ID.",
        "{count} 个服务站太多，无法在此列出：请在地图或表格中点击，或输入其 ID。",
    ),
    "station_not_in_data": ("Station {id} is not in the data.", "数据中没有服务站 {id}。"),
    "country_caption": (
        "Everything the map shows, per country, as text.",
        "地图显示的全部内容，按国家以文字列出。",
    ),
    "status_line": ("Status", "状态"),
    "summary": ("Summary", "摘要"),
    "sources": ("Sources", "来源"),
    "archive": ("archive", "存档"),
    "permanent_page": ("Permanent page of this station", "该服务站的固定页面"),
    "not_https": ("not a valid https link", "不是有效的 https 链接"),
    "status_history": (
        "Status history (derived; rules in data/README.md)",
        "状态历史（推导得出；规则见 data/README.md）",
    ),
    "first_reported_by": ("First reported by {who}", "首次报道者：{who}"),
    "responses_about": (
        "Government responses about it or its country ({count})",
        "关于该服务站或其所在国的政府回应（{count}）",
    ),
    "no_response": ("No government response recorded.", "没有记录到政府回应。"),
    "chart_per_country": ("Stations per country (filtered)", "各国服务站数量（已筛选）"),
    "chart_per_year": ("Government responses per year", "每年政府回应数量"),
    "chart_type": ("Type", "类型"),
    "chart_stations": ("stations", "服务站"),
    "chart_responses": ("responses", "回应"),
    "chart_year": ("year", "年份"),
    "stations_heading": ("Stations", "服务站"),
    "table_heading": ("Table of the {stations} shown", "所显示的 {stations} 的表格"),
    "table_capped": (
        "The table lists the first {shown} of {total} stations; the map and the CSV download "
        "have them all.",
        "表格列出 {total} 个服务站中的前 {shown} 个；地图和 CSV 下载包含全部。",
    ),
    "download_csv": ("Download CSV ({stations})", "下载 CSV（{stations}）"),
    "download_geojson": ("Download GeoJSON ({stations})", "下载 GeoJSON（{stations}）"),
    "download_png": ("Download map image (PNG)", "下载地图图片（PNG）"),
    # The active filters in words (texts.filter_words), e.g. on the map image.
    "filters_words": ("Filters: {filters}", "筛选：{filters}"),
    "filters_none": ("Filters: none (all stations)", "筛选：无（全部服务站）"),
    "fw_countries": ("in {values}", "位于{values}"),
    "fw_statuses": ("status {values}", "状态为{values}"),
    "fw_bureaus": ("bureau {values}", "公安局为{values}"),
    "fw_listed_in": ("listed in {values}", "收录于{values}"),
    "fw_response_types": ("where the government did: {values}", "政府采取了：{values}"),
    "fw_query": ("matching “{query}”", "匹配“{query}”"),
    "fw_between": ("first reported {start} to {end}", "首次报道于 {start} 至 {end}"),
    "fw_from": ("first reported from {start}", "首次报道于 {start} 及以后"),
    "fw_until": ("first reported until {end}", "首次报道于 {end} 及以前"),
    "fw_as_of": ("as of {day}", "截至{day}"),
    "fw_near": ("within {km} km of {place}", "{place} {km} 公里以内"),
    "fw_station": ("station {id}", "服务站 {id}"),
    "fw_or": (" or ", "或"),
    # Map images (dashboard/preview.py)
    "n_countries_one": ("{count} country", "{count} 个国家"),
    "n_countries_many": ("{count} countries", "{count} 个国家"),
    "img_counts": ("{stations} in {countries}", "{stations}，分布于{countries}"),
    "img_by_status": ("{stations}: {list}", "{stations}，其中{list}"),
    "img_status": ("Status: {status} ({date})", "状态：{status}（{date}）"),
    "img_status_undated": ("Status: {status}", "状态：{status}"),
    "img_precision_address": ("Placed at the reported address", "位于所报道的街道地址"),
    "img_precision_district": (
        "Placed at the centre of the reported district",
        "位于所报道城区的中心",
    ),
    "img_precision_city": (
        "Placed at the city's centre: the exact site is not public",
        "位于城市中心：确切地点未公开",
    ),
    "img_precision_country": (
        "Placed at the country's centre: only the country is known",
        "位于国家中心：只知道所在国家",
    ),
    "img_strongest": ("Strongest government response: {tier}", "最强的政府回应：{tier}"),
    "img_responses": (
        "{responses} recorded; latest {date}: {kind}",
        "记录了{responses}；最近一次 {date}：{kind}",
    ),
    "img_no_stations": ("No stations in this view", "此视图中没有服务站"),
    "img_source": (
        "Data: Safeguard Defenders' reports and cited outlets · CC BY 4.0 · version {version}",
        "数据：保护卫士的报告及所引用的媒体 · CC BY 4.0 · 版本 {version}",
    ),
    "img_source_unstated": (
        "Data: Safeguard Defenders' reports and cited outlets · CC BY 4.0 · version not stated",
        "数据：保护卫士的报告及所引用的媒体 · CC BY 4.0 · 版本未注明",
    ),
    "img_legend_approx": ("Country only (approximate)", "只知道国家（位置近似）"),
    "cite": ("Cite this view", "引用此视图"),
    "footer": (
        "Data: Safeguard Defenders' reports and the news organisations and governments cited per "
        'row; method, coverage and how to cite are under "About the data" above. Data CC BY 4.0. '
        "Data summaries are in English.",
        "数据：保护卫士（Safeguard Defenders）的报告，以及每行所引用的新闻机构和政府；"
        "方法、覆盖范围和引用方式见上方“关于数据”。数据采用 CC BY 4.0。数据摘要为英文原文。",
    ),
    # Table and summary columns
    "col_distance_km": ("distance (km)", "距离（公里）"),
    "col_station_id": ("ID", "ID"),
    "col_name": ("name", "名称"),
    "col_city": ("city", "城市"),
    "col_country": ("country", "国家"),
    "col_status": ("status", "状态"),
    "col_status_date": ("status date", "状态日期"),
    "col_operating_bureau": ("bureau", "公安局"),
    "col_listed_in": ("listed in", "收录于"),
    "col_first_reported_date": ("first reported", "首次报道"),
    "col_location_precision": ("location precision", "位置精度"),
    "col_source": ("first source", "首要来源"),
    "col_summary": ("summary", "摘要"),
    "col_stations": ("stations", "服务站"),
    "col_meaning": ("meaning", "含义"),
    "col_by_status": ("by status", "按状态"),
    "col_approximate": ("approximate (country only)", "位置近似（仅知国家）"),
    "col_responses": ("government responses", "政府回应"),
    "col_latest": ("latest response", "最新回应"),
    "col_strongest": ("strongest response", "最强回应"),
    # Station fields
    "field_station_id": ("ID", "ID"),
    "field_name": ("Name", "名称"),
    "field_address": ("Address", "地址"),
    "field_city": ("City", "城市"),
    "field_country": ("Country", "国家"),
    "field_country_code": ("Country code", "国家代码"),
    "field_latitude": ("Latitude", "纬度"),
    "field_longitude": ("Longitude", "经度"),
    "field_location_precision": ("Location precision", "位置精度"),
    "field_location_note": ("Location note", "位置说明"),
    "field_operating_bureau": ("Operating bureau (as reported)", "所属公安局（据报道）"),
    "field_listed_in": ("Listed in", "收录于"),
    "field_first_reported_by": ("First reported by", "首次报道者"),
    "field_first_reported_date": ("First reported", "首次报道日期"),
    "field_status": ("Status", "状态"),
    "field_status_date": ("Status date", "状态日期"),
    "field_summary": ("Summary", "摘要"),
    "field_sources": ("Sources", "来源"),
    "field_last_checked": ("Sources last checked", "来源最近核对日期"),
    # Map
    "legend_status": ("Status", "状态"),
    "legend_approx": (
        "Dashed square: country known only (approximate)",
        "虚线方块：只知道国家（位置近似）",
    ),
    "layer_stations": ("Stations", "服务站"),
    "zoom_in": ("Zoom in", "放大"),
    "zoom_out": ("Zoom out", "缩小"),
    "layer_none": ("Countries: no shading", "国家：不着色"),
    "layer_count": ("Countries: stations", "国家：服务站数量"),
    "layer_strongest": ("Countries: strongest response", "国家：最强政府回应"),
    "legend_count": ("Stations per country (this view)", "各国服务站数量（当前视图）"),
    "legend_strongest": (
        "Strongest government response so far (this view)",
        "迄今最强的政府回应（当前视图）",
    ),
    "pop_status": ("Status", "状态"),
    "pop_first": ("First reported by", "首次报道者"),
    "pop_approx": (
        "Approximate location: only the country is known.",
        "位置近似：只知道所在国家。",
    ),
    "tip_approx": ("approximate location", "位置近似"),
    "tip_stations": ("stations", "个服务站"),
    # Strongest response tiers (see data/README.md, "Country layer")
    "tier_prosecution": ("Charges or conviction", "起诉或定罪"),
    "tier_police": ("Arrest or raid", "逮捕或搜查"),
    "tier_closure": ("Closure, closure order or expulsion", "关闭、关闭令或驱逐"),
    "tier_investigation": ("Investigation", "调查"),
    "tier_words": ("Statement, question or protest only", "仅有声明、质询或抗议"),
    "tier_denial": ("Denial only", "仅有否认"),
    "tier_none": ("No response recorded", "没有记录到回应"),
    # Notices
    "unknown_param": (
        "Unknown link parameter {name} was ignored.",
        "未知的链接参数 {name} 已被忽略。",
    ),
    "unknown_values": (
        "Unknown {param} value(s) {values} dropped from the link.",
        "链接中未知的 {param} 值 {values} 已被去掉。",
    ),
    "query_cut": (
        "Search text cut to {limit} characters.",
        "搜索文字已截短为 {limit} 个字符。",
    ),
    "bad_date": (
        "Date {name}={value} is not YYYY, YYYY-MM or YYYY-MM-DD; ignored.",
        "日期 {name}={value} 不是 YYYY、YYYY-MM 或 YYYY-MM-DD 格式，已忽略。",
    ),
    "bad_asof": (
        "Date asof={value} is not YYYY-MM-DD; ignored.",
        "日期 asof={value} 不是 YYYY-MM-DD 格式，已忽略。",
    ),
    "asof_range": (
        "Date asof={value} is not between {low} and today ({high}); ignored.",
        "日期 asof={value} 不在 {low} 与今天（{high}）之间，已忽略。",
    ),
    "bad_since": (
        "Date since={value} is not YYYY-MM-DD between {low} and today; ignored.",
        "日期 since={value} 不是介于 {low} 与今天之间的 YYYY-MM-DD 格式，已忽略。",
    ),
    "dates_swapped": (
        "The link's from-date came after its to-date; the range {low} to {high} is shown.",
        "链接中的起始日期晚于结束日期；现显示 {low} 至 {high}。",
    ),
    "bad_km": (
        "Distance km={value} is not a number of km up to 20000.",
        "距离 km={value} 不是 20000 以内的公里数。",
    ),
    "bad_station": (
        "Station {value} is not in the data; no station selected.",
        "数据中没有服务站 {value}，未选择服务站。",
    ),
    "bad_lang": (
        "Language lang={value} is not one of: en, zh; English is shown.",
        "语言 lang={value} 不是 en 或 zh 之一，显示英文。",
    ),
    "bad_tiles": (
        "tiles={value} is not 0 or 1; the map is shown without tiles.",
        "tiles={value} 不是 0 或 1；地图不加载底图瓦片。",
    ),
    "bad_map": (
        "map={value} is not latitude,longitude,zoom; the map fits the stations instead.",
        "map={value} 不是“纬度,经度,缩放级别”；地图改为适配所显示的服务站。",
    ),
    "no_place": ("No place given.", "没有给出地点。"),
    "place_offline": (
        "{name} is not a city of the data or of the offline gazetteer.",
        "{name} 既不是数据中的城市，也不在离线地名库中。",
    ),
    "place_lookup_failed": (
        "{name} could not be looked up just now: the place service did not answer. Try again "
        "later, or choose a city of the data.",
        "暂时无法查找 {name}：地名服务没有回应。请稍后再试，或选择数据中的城市。",
    ),
    "place_cap": (
        "{name} was not looked up: this session has used its place look-ups (the place service "
        "allows few per reader). Choose a city of the data, or reload the page later.",
        "没有查找 {name}：本次会话的地名查找次数已用完（地名服务对每位读者的次数有限）。"
        "请选择数据中的城市，或稍后重新加载页面。",
    ),
    "place_not_found": ("No place called {name} was found.", "没有找到名为 {name} 的地点。"),
    "place_ambiguous": (
        "Several places are called {name}: choose one, or add its country or state.",
        "有多个地点名为 {name}：请选择其一，或加上国家或州名。",
    ),
    "place_suggest": ("{why} Did you mean {suggestion}?", "{why} 您是不是要找 {suggestion}？"),
    "use_suggestion": ("Use {suggestion}", "改用 {suggestion}"),
    "none_within": (
        "No station within {km} km of {place}. The nearest is {name} ({where}), {distance} km "
        "away.",
        "{place} {km} 公里以内没有服务站。最近的是 {name}（{where}），相距 {distance} 公里。",
    ),
    "widen": ("Widen to {km} km", "扩大到 {km} 公里"),
}

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "reported": ("Reported (alleged)", "已被报道（指称）"),
    "investigating": ("Under investigation", "调查中"),
    "closed": ("Said to be closed", "据称已关闭"),
    "prosecuted": ("Prosecuted", "已起诉"),
    "denied": ("Denied by host authorities", "东道国当局否认"),
    "investigation_closed": ("Investigation ended", "调查已结束"),
}
STATUS_MEANINGS_ZH: dict[str, str] = {
    "reported": "见于公开报道的指称；未知东道国采取任何官方行动。",
    "investigating": "东道国当局（警方、检方、情报机构或政府部门）表示正在调查。",
    "closed": "东道国政府或中方称其已关闭，或被勒令关闭。关闭情况未必经独立核实。",
    "prosecuted": "已就与该服务站有关的行为提起诉讼或获得定罪。",
    "denied": "东道国当局称未发现此类服务站，或对此并不知情。",
    "investigation_closed": "东道国当局结束调查，未提起诉讼，也未认定有服务站运作。",
}
RESPONSE_LABELS: dict[str, tuple[str, str]] = {
    "investigation": ("Investigation", "调查"),
    "investigation_closed": ("Investigation closed", "调查结束"),
    "closure_order": ("Closure order", "关闭令"),
    "closure": ("Closure", "关闭"),
    "raid": ("Raid / search", "突击搜查"),
    "arrest": ("Arrest", "逮捕"),
    "charge": ("Charge", "起诉"),
    "conviction": ("Conviction", "定罪"),
    "statement": ("Statement", "声明"),
    "denial": ("Denial", "否认"),
    "parliamentary_question": ("Parliamentary question", "议会质询"),
    "expulsion": ("Expulsion", "驱逐"),
    "cooperation_agreement": ("Cooperation agreement", "合作协议"),
    "diplomatic_protest": ("Diplomatic protest", "外交抗议"),
}
PRECISION_NAMES: dict[str, tuple[str, str]] = {
    "address": ("address", "街道地址"),
    "district": ("district", "城区"),
    "city": ("city", "城市"),
    "country": ("country only", "仅国家"),
}
PRECISION_MEANINGS_ZH: dict[str, str] = {
    "address": "所报道街道地址的坐标。",
    "district": "所报道城区或街区中心的坐标。",
    "city": "所报道城市中心的坐标；确切地点未公开或未标注。",
    "country": "只知道国家；该点是国家的大致中心。",
}
LISTED_IN_MEANINGS_ZH: dict[str, str] = {
    "110 Overseas (2022-09)": "收录于保护卫士的第一份报告（2022 年 9 月，54 个服务站）。",
    "Patrol and Persuade (2022-12)": "由保护卫士的后续报告新增"
    "（2022 年 12 月，共 53 国 102 个服务站）。",
    "other": "后来或由他人报道，不在保护卫士的两份报告之中。",
}
# The sources of `listed_in` as the filter's options name them.
LISTED_IN_NAMES: dict[str, tuple[str, str]] = {
    "110 Overseas (2022-09)": ("110 Overseas (September 2022)", "《110 Overseas》（2022 年 9 月）"),
    "Patrol and Persuade (2022-12)": (
        "Patrol and Persuade (December 2022)",
        "《Patrol and Persuade》（2022 年 12 月）",
    ),
    "other": ("Other sources", "其他来源"),
}
BUREAU_LABELS_ZH: dict[str, str] = {
    "Fuzhou": "福州",
    "Qingtian": "青田",
    "Lishui": "丽水",
    "Wenzhou": "温州",
    "Nantong": "南通",
    "unknown": "不详",
}


def _messages() -> dict[str, dict[str, str]]:
    out = {key: {"en": en, "zh": zh} for key, (en, zh) in _UI.items()}
    for code, (en, zh) in STATUS_LABELS.items():
        out[f"status.{code}"] = {"en": en, "zh": zh}
        out[f"status_meaning.{code}"] = {
            "en": STATUS_DEFINITIONS[code],
            "zh": STATUS_MEANINGS_ZH.get(code, ""),
        }
    for code, (en, zh) in RESPONSE_LABELS.items():
        out[f"rtype.{code}"] = {"en": en, "zh": zh}
    for code, (en, zh) in PRECISION_NAMES.items():
        out[f"precision_name.{code}"] = {"en": en, "zh": zh}
    for code, text in PRECISION_DEFINITIONS.items():
        out[f"precision.{code}"] = {"en": text, "zh": PRECISION_MEANINGS_ZH.get(code, "")}
    for code, text in LISTED_IN_DEFINITIONS.items():
        out[f"listed_in.{code}"] = {"en": text, "zh": LISTED_IN_MEANINGS_ZH.get(code, "")}
    for code, (en, zh) in LISTED_IN_NAMES.items():
        out[f"listed_name.{code}"] = {"en": en, "zh": zh}
    for code in BUREAU_DEFINITIONS:
        out[f"bureau.{code}"] = {"en": code, "zh": BUREAU_LABELS_ZH.get(code, "")}
    return out


MESSAGES: dict[str, dict[str, str]] = _messages()


def language(value: object) -> str:
    """A supported language code; anything else is the default (English)."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = MESSAGES[key][language(lang)] or MESSAGES[key][DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def plural(key: str, count: int, lang: str) -> str:
    """`key_one` for one, `key_many` otherwise (Chinese uses one form for both)."""
    return t(f"{key}_one" if count == 1 else f"{key}_many", lang, count=f"{count:,}")


def long_date(day: dt.date, lang: str) -> str:
    """`1 October 2022` in English, `2022年10月1日` in Chinese."""
    if language(lang) == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%B} {day.year}"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def status_label(code: str, lang: str) -> str:
    key = f"status.{code}"
    return t(key, lang) if key in MESSAGES else str(code)


def response_label(code: str, lang: str) -> str:
    key = f"rtype.{code}"
    return t(key, lang) if key in MESSAGES else str(code)


def bureau_label(code: str, lang: str) -> str:
    key = f"bureau.{code}"
    if key not in MESSAGES:
        return str(code)
    return code if lang == DEFAULT_LANGUAGE else f"{t(key, lang)} ({code})"


@dataclass(frozen=True)
class Msg:
    """A message to put into words when shown, in the language active then."""

    key: str
    values: dict[str, object] = field(default_factory=dict, hash=False, compare=True)

    def text(self, lang: str) -> str:
        # A message may hold another (the reason inside a suggestion): both in `lang`.
        values = {k: v.text(lang) if isinstance(v, Msg) else v for k, v in self.values.items()}
        return t(self.key, lang, **values)

    def __str__(self) -> str:
        return self.text(DEFAULT_LANGUAGE)


def msg(key: str, **values: object) -> Msg:
    if key not in MESSAGES:
        raise KeyError(key)
    return Msg(key, values)
