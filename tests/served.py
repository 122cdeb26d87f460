"""`newsgraph serve` as a real child process on a free 127.0.0.1 port, for tests that need HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def served(db: str, *args: str, wait_s: float = 60) -> Iterator[str]:
    """Serve `db` (with extra `serve` options `args`); yield its base URL once it answers, stop it after."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("newsgraph")
    proc = subprocess.Popen([str(exe), "serve", "--db", db, "--port", str(port), *args], stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"newsgraph serve exited with {proc.returncode}: {proc.stderr.read()}")
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"newsgraph serve did not answer within {wait_s:.0f} s")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
