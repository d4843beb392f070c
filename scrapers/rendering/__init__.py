"""Pages built by JavaScript and consent walls: a real browser (Chromium through Playwright) when a
site needs one (docs/rendering.md).

``policy`` decides which article pages go through the browser (``render = "never" | "auto" |
"always"`` per site, ``RENDER_MODE`` otherwise); ``shell`` recognises an app shell in a plain
response; ``settle`` waits for the article and clicks the consent ``recipes`` in the page;
``browser`` is the one Scrapy download handler that drives the browser within its bounds; ``memory``
remembers the sites that needed it for the next run. Sitemaps, feeds and robots.txt never go
through the browser.
"""
