"""Several crawler processes sharing one frontier in Redis."""
