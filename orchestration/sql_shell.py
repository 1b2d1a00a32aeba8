"""`medtrade sql`: queries on the published warehouse, read-only (one query, or a shell)."""
from __future__ import annotations

import sys
from pathlib import Path

from warehouse.settings import Settings


def _run_query(conn, query: str, fmt: str, output: str | None) -> int:
    import duckdb
    try:
        relation = conn.sql(query)
    except duckdb.Error as exc:
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    if relation is None:
        return 0
    if output:
        target = Path(output)
        if target.suffix.lower() == ".parquet":
            relation.write_parquet(str(target))
        else:
            relation.write_csv(str(target))
        print(f"wrote {target}")
        return 0
    frame = relation.df()
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    else:
        print(frame.to_string(index=False) if not frame.empty else "(no rows)")
    return 0


def cmd_sql(args) -> int:
    """One query, or an interactive shell; always on the published copy, read-only."""
    settings = Settings.from_env(args.data_dir, None, args.memory_limit, None)
    db = settings.paths.published_db
    if not db.exists():
        print(f"no published warehouse at {db}; run `medtrade run` first", file=sys.stderr)
        return 2
    with settings.connect(db, read_only=True) as conn:
        if args.query:
            return _run_query(conn, args.query, args.format, args.output)
        print(f"medtrade sql on {db} (read-only). End statements with ';', quit with .quit")
        buffer = ""
        while True:
            try:
                line = input("medtrade> " if not buffer else "      ...> ")
            except EOFError:
                return 0
            if line.strip() in (".quit", ".exit") and not buffer:
                return 0
            buffer += line + "\n"
            if buffer.rstrip().endswith(";"):
                _run_query(conn, buffer, args.format, None)
                buffer = ""
