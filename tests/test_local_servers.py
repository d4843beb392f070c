"""The tests' HTTP servers (tests/harness.py ``LocalServer``) stay quiet when a client goes away mid-answer,
which many fault tests cause on purpose: socketserver printed a traceback to ``sys.stderr``, where a command
another test runs in this process may be capturing its own output (a crawl's one-line contract then failed on
a stranger's traceback). A real server fault is still printed."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.hostile.site import Handler, serve


def _raising(error: Exception):  # type: ignore[no-untyped-def]
    def route(handler: Handler) -> None:
        raise error
    return route


@pytest.mark.parametrize("error", [BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")])
def test_a_client_gone_mid_answer_prints_nothing(error: Exception, capsys: pytest.CaptureFixture[str]) -> None:
    with serve({"/gone": _raising(error)}) as site:
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(f"{site.base_url}/gone", timeout=10)
    assert capsys.readouterr().err == ""


def test_a_server_fault_is_still_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with serve({"/bug": _raising(ValueError("a bug in a route"))}) as site:
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(f"{site.base_url}/bug", timeout=10)
    assert "ValueError: a bug in a route" in capsys.readouterr().err
