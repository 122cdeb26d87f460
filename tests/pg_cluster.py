"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, started on a free
port of 127.0.0.1, stopped and removed at the end of the session.

`NEWSGRAPH_TEST_PG=postgresql://user@host:port/db` uses a server you already run instead (the
tests then create and drop their own databases on it). Without either, the PostgreSQL tests are
skipped with the reason, except with CI=true, where they fail.
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

SERVER_USER = "postgres"  # Debian's account for the server: initdb refuses to run as root


class NoServer(Exception):
    """Why no PostgreSQL server can be had here (the message says what to install)."""


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise NoServer("no PostgreSQL server installed (initdb not found); run `make system-packages` or `apt-get install postgresql`")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One running server; `database()` makes a fresh, empty database and returns its URL."""

    def __init__(self) -> None:
        self.base_url = os.environ.get("NEWSGRAPH_TEST_PG")
        self.dir: Path | None = None
        self.bin: Path | None = None
        self.as_user: list[str] = []

    def start(self) -> "Cluster":
        try:
            import psycopg
        except ImportError as err:
            raise NoServer(f"psycopg is not installed ({err}); run `make install`") from err
        if self.base_url:
            try:
                psycopg.connect(self.base_url, connect_timeout=10).close()
            except psycopg.Error as err:
                raise NoServer(f"NEWSGRAPH_TEST_PG={self.base_url}: cannot connect ({str(err).strip()[:300]})") from err
            return self
        self.bin = _bin_dir()
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise NoServer("running as root without runuser: cannot start PostgreSQL as a plain user")
            try:
                import pwd

                pwd.getpwnam(SERVER_USER)
            except KeyError as err:
                raise NoServer(f"running as root and there is no {SERVER_USER!r} account to run the server as") from err
            self.as_user = ["runuser", "-u", SERVER_USER, "--"]
        # Under /tmp when the server runs as another user: $TMPDIR may be a folder it cannot enter.
        self.dir = Path(tempfile.mkdtemp(prefix="newsgraph-pg-", dir="/tmp" if self.as_user else None))
        if self.as_user:
            shutil.chown(self.dir, SERVER_USER)
        data, log = self.dir / "data", self.dir / "server.log"
        self._run(str(self.bin / "initdb"), "-D", str(data), "--auth=trust", "--username=newsgraph",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        port = _free_port()
        # fsync off: a test server; the crash tests kill the client, never the server.
        opts = f"-h 127.0.0.1 -p {port} -k {self.dir} -F -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start")
        # A watchdog stops the server and removes its folder once this process is gone, even
        # when pytest is killed before its teardown: no server outlives its test session.
        stop = " ".join(shlex.quote(x) for x in [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        watch = f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; {stop} >/dev/null 2>&1; rm -rf {shlex.quote(str(self.dir))}"
        subprocess.Popen(["sh", "-c", watch], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base_url = f"postgresql://newsgraph@127.0.0.1:{port}/postgres"
        return self

    def _run(self, *cmd: str) -> None:
        r = subprocess.run([*self.as_user, *cmd], capture_output=True, text=True)
        if r.returncode != 0:
            log = ""
            if self.dir is not None and (self.dir / "server.log").exists():
                log = (self.dir / "server.log").read_text(errors="replace")[-2000:]
            raise NoServer(f"{' '.join(cmd[:1])} failed ({r.returncode}): {r.stderr.strip()[-1500:]} {log}")

    def database(self, prefix: str = "t", *, icu_locale: str | None = None) -> str:
        """A new empty database on the server; its postgresql:// URL.

        `icu_locale` ('en-US') gives it that ICU collation, as a team's server would have, where
        the server supports it (PostgreSQL 15 or later built with ICU); else the default (C).
        """
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.base_url, autocommit=True) as conn:
            if icu_locale:
                try:
                    conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}' LOCALE 'C.UTF-8'")
                    return self.base_url.rsplit("/", 1)[0] + "/" + name
                except psycopg.Error:
                    pass
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.base_url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        if self.dir is None:
            return
        if self.bin is not None and (self.dir / "data" / "postmaster.pid").exists():
            subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop"],
                           capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
