"""The worker processes that run extraction beside the crawler."""
