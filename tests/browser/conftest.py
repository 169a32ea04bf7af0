"""Browser fixtures: one app and one Chromium for the session, a fresh page per test."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.harness import PATIENCE_MS, PatientBrowser, launch_chromium, running_app
from tests.conftest import FIXTURE_ARGS


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except RuntimeError as exc:
            pytest.fail(str(exc), pytrace=False)
        expect.set_options(timeout=PATIENCE_MS)
        yield PatientBrowser(chromium)
        chromium.close()


@pytest.fixture(scope="session")
def app():
    """One app on the fixtures for every module that needs no other (each test opens its own
    browser context, so its own session): starting one per module cost about a minute of the
    suite. A module with other files or settings starts its own (`running_app`)."""
    with running_app(*FIXTURE_ARGS) as server:
        yield server


class Session:
    """A page plus every URL it (and its map frame) requested."""

    def __init__(self, browser, base_url: str) -> None:
        self.base_url = base_url
        self.context = browser.new_context(
            viewport={"width": 1400, "height": 1100}, accept_downloads=True
        )
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, query: str = ""):
        self.page.goto(self.base_url + query)
        return self.page


@pytest.fixture
def session(browser, app):
    current = Session(browser, app.url)
    yield current
    current.context.close()
