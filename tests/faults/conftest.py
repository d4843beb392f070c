"""The service fixtures (a real redis-server, the demo site with a request log) for the fault tests."""

from tests.services.conftest import logged_site, redis_server  # noqa: F401
