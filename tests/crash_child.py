"""`newsgraph build` that kills itself with SIGKILL at a chosen point (driven by test_crash.py).

usage: python crash_child.py POINT BUILD-ARGS...
POINT  none            run to the end
       log:FILE        run to the end, writing one line per SQL statement executed (to pick points)
       article:N       die while analysing the N-th article (inside the parse of its batch)
       sql:N           die just before the N-th SQL statement (inside a batch commit, resolution ...)

The kill is a real SIGKILL of this process: no handler, no cleanup, whatever transaction is open
is left to the database to roll back.
"""

from __future__ import annotations

import os
import signal
import sys


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    point, args = sys.argv[1], sys.argv[2:]
    kind, _, arg = point.partition(":")
    if kind == "article":
        from newsgraph.extract import pipeline

        real, seen = pipeline.analyse_parsed, [0]

        def analyse_then_maybe_die(*a, **k):
            seen[0] += 1
            if seen[0] == int(arg):
                _die()
            return real(*a, **k)

        pipeline.analyse_parsed = analyse_then_maybe_die
    elif kind in ("sql", "log"):
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        count = [0]
        log = open(arg, "w", encoding="utf-8") if kind == "log" else None

        @event.listens_for(Engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            count[0] += 1
            if log is not None:
                line = " ".join(statement.split())[:80]
                if line.startswith("INSERT INTO meta"):  # which key: the stages are told apart by it
                    line += " " + " ".join(map(str, parameters if isinstance(parameters, (list, tuple)) else parameters.values()))[:80]
                log.write(line + "\n")
                log.flush()
            elif count[0] == int(arg):
                _die()

    from newsgraph.cli import cli

    cli.main(args=["build", *args], prog_name="newsgraph")


if __name__ == "__main__":
    main()
