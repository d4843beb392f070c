"""Presswire: crawl news sites with Scrapy, extract clean articles, write JSONL."""

__version__ = "0.1.0"
