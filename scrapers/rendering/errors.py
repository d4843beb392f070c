"""Why a page sent to the browser gave no page: each is a failure reason of its own."""

from __future__ import annotations

from ..discovery.refusals import Refused


class RenderTimeout(Refused):
    """The page was still changing (text growing, requests in flight) when ``RENDER_TIMEOUT`` ran out,
    or the site's ``render_wait_for`` selector never appeared."""

    reason = "render_timeout"


class ConsentWallStays(Refused):
    """A consent button was clicked and the wall is still there: its teaser is never the article."""

    reason = "consent_wall"


class RenderCrashed(Refused):
    """The browser (or the page's renderer process) died with the page in flight."""

    reason = "render_crashed"


class RenderFailed(Refused):
    """Any other browser error: navigation refused, the browser cannot start."""

    reason = "render_error"
