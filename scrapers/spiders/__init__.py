"""Spiders: ``news`` (generic) and one spider per site config, named after it."""
