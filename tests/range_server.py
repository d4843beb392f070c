"""A local HTTP server for files, with Range requests (as Common Crawl's servers answer them)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.harness import LocalServer


class _Handler(BaseHTTPRequestHandler):
    root: Path
    gate: threading.Event | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.root / self.path.lstrip("/").split("?")[0]
        if not path.is_file():
            self.send_error(404)
            return
        if self.gate is not None and ".warc" in path.name:
            self.gate.wait(timeout=120)  # the test opens it once every process it started is ready
        size = path.stat().st_size
        start = 0
        ranged = self.headers.get("Range", "")
        if ranged.startswith("bytes="):
            start = int(ranged[6:].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size - start))
        self.end_headers()
        with open(path, "rb") as handle:
            handle.seek(start)
            while chunk := handle.read(1 << 16):
                try:
                    self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    return


@contextmanager
def serve_files(root: Path, gate: threading.Event | None = None) -> Iterator[str]:
    """Serve ``root``; with a ``gate``, WARC files are answered only once the gate is set."""
    handler = type("Handler", (_Handler,), {"root": root, "gate": gate})
    server = LocalServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
