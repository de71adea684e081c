"""The SQLite backup is consistent while another connection keeps writing (WAL mode)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from samverkan.core import backup


def test_online_backup_while_a_writer_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(live)
    setup.execute("PRAGMA journal_mode=WAL")
    # Every transaction inserts a pair of rows: a torn copy would hold an odd count.
    setup.execute("CREATE TABLE t (n INTEGER NOT NULL, payload TEXT NOT NULL)")
    setup.executemany("INSERT INTO t VALUES (?, ?)", [(i, "x" * 500) for i in range(20_000)])
    setup.commit()
    setup.close()
    monkeypatch.setattr(backup, "_sqlite_path", lambda: live)

    stop = threading.Event()
    writing = threading.Event()
    written = 0

    def writer() -> None:
        nonlocal written
        conn = sqlite3.connect(live, timeout=20)
        while not stop.is_set():
            with conn:
                conn.execute("INSERT INTO t VALUES (?, 'a')", (-1,))
                conn.execute("INSERT INTO t VALUES (?, 'b')", (-1,))
            written += 1
            writing.set()
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert writing.wait(timeout=60)
    try:
        output = tmp_path / "copy.sqlite3"
        backup._sqlite_backup(output)
    finally:
        stop.set()
        thread.join()

    copy = sqlite3.connect(output)
    (count,) = copy.execute("SELECT count(*) FROM t").fetchone()
    (mode,) = copy.execute("PRAGMA journal_mode").fetchone()
    copy.close()
    assert count >= 20_000 and (count - 20_000) % 2 == 0
    assert mode == "delete"
    assert written > 0  # the writer really ran beside the copy
    assert not Path(f"{output}-wal").exists()
