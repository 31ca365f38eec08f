"""Run argmap CLI commands in a child process, for the concurrency and kill tests.

    python cli_worker.py objections DB TARGET WORKER COUNT   # add COUNT objections through the CLI
    python cli_worker.py pause-at-commit DB MARKER ARGS...   # run one command; stop dead at its COMMIT

The second form registers a SQLAlchemy "commit" listener that writes MARKER and sleeps:
everything the command wrote is in the database file's WAL but not committed, which is
the worst moment for a SIGKILL.
"""

import os
import sys
import time

from typer.testing import CliRunner


def objections(db: str, target: str, worker: str, count: str) -> int:
    from argmap.cli import app
    runner = CliRunner()
    for i in range(int(count)):
        result = runner.invoke(app, ["--db", db, "object", target, f"Objection {i} from worker {worker}",
                                     "--id", f"w{worker}-o{i}"])
        if result.exit_code != 0:
            print(f"worker {worker} item {i}: exit {result.exit_code}: {result.stderr.strip()} {result.exception!r}")
            return 1
        if result.stderr.strip():
            print(f"worker {worker} item {i}: stderr {result.stderr.strip()}")
            return 1
    return 0


def pause_at_commit(db: str, marker: str, *args: str) -> int:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def stop(conn) -> None:
        if conn.engine.dialect.name != "sqlite":
            return
        files = [row[2] for row in conn.connection.dbapi_connection.execute("PRAGMA database_list")]
        if any(f and os.path.exists(f) and os.path.samefile(f, db) for f in files):
            with open(marker, "w") as f:
                f.write("writing")
            time.sleep(3600)

    event.listen(Engine, "commit", stop)
    from argmap.cli import app
    result = CliRunner().invoke(app, ["--db", db, *args])
    print(result.stdout, result.stderr)
    return result.exit_code


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    sys.exit({"objections": objections, "pause-at-commit": pause_at_commit}[mode](*rest))
