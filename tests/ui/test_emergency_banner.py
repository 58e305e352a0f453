"""The emergency banner (ui/widgets/emergency_banner.py) says what to do and how: get care now,
call 911 or the local emergency number, do not wait for a second opinion. In a tiny host App."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult

from secondview.ui.widgets.emergency_banner import EmergencyBanner


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield EmergencyBanner(id="emergency")


def test_the_banner_says_how_to_get_care_now() -> None:
    async def run() -> None:
        app = _Host()
        async with app.run_test(size=(80, 24)) as pilot:
            banner = app.query_one(EmergencyBanner)
            banner.show(True)
            await pilot.pause()
            said = str(banner.content)
            assert "Emergency: get care now. Do not wait for a second opinion." in said
            assert "Call 911 or your local emergency number." in said
            assert banner.region.height >= 2  # wraps at 80 columns: nothing cut off

    asyncio.run(run())
