"""The one-site developer's loop: start a site config from a URL (survey), save pages with their expected
fields and check them after every change (pages, check), and say where each field came from (explain).

Sits above extraction, discovery and sites; Scrapy is used only to fetch (fetch.py, survey.py)."""
