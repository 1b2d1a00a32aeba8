"""SHA-256 of landing files, computed once per file version.

A real customs year is gigabytes; hashing every landing file on every run (and on every
sensor tick) would cost more than loading the year that changed. A file's hash is kept
with its size, modification time, change time and inode: the change time (ctime) cannot
be set back by a user or a copy tool, so any write to the file makes it hash again.
The cache is a small JSON file in the data folder, replaced atomically.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ingest.readers import file_sha256, file_signature


class HashCache:
    def __init__(self, file: Path):
        self.file = file
        try:
            self.entries: dict[str, list] = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False

    def sha256(self, path: Path) -> str:
        signature = list(file_signature(path))
        key = str(path.resolve())
        cached = self.entries.get(key)
        if cached and cached[:4] == signature:
            return cached[4]
        digest = file_sha256(path)
        self.entries[key] = [*signature, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        if not self.changed:
            return
        live = {k: v for k, v in self.entries.items() if Path(k).exists()}
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(live), encoding="utf-8")
        os.replace(tmp, self.file)
        self.changed = False


def hashes(cache_file: Path, files: list[Path]) -> list[str]:
    """The SHA-256 of each file, through the cache in cache_file."""
    cache = HashCache(cache_file)
    out = [cache.sha256(p) for p in files]
    cache.save()
    return out
