import os

from ingest.hash_cache import hashes
from ingest.readers import file_sha256


def test_a_file_is_hashed_once_per_version(tmp_path, monkeypatch):
    data = tmp_path / "a.csv"
    data.write_text("x\n1\n")
    cache = tmp_path / "cache.json"
    assert hashes(cache, [data]) == [file_sha256(data)]
    calls = []
    monkeypatch.setattr("ingest.hash_cache.file_sha256", lambda p: calls.append(p) or "computed")
    assert hashes(cache, [data]) == [file_sha256(data)] and calls == []
    # same size, modification time set back: the change time still tells
    stat = data.stat()
    data.write_text("x\n2\n")
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert hashes(cache, [data]) == ["computed"] and calls == [data]
