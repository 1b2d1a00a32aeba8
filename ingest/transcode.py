"""GB18030 text to UTF-8, a byte range of whole lines at a time, in this process or a child.

China Customs downloads are GB18030 (GBK) files; DuckDB reads UTF-8 only, so a large one
is transcoded before DuckDB copies it, and that costs about as much as DuckDB's own pass.
The file is cut at a line feed near its middle (a line feed is never part of a GB18030
character, so both halves decode on their own), the second half goes to a child process
(``python -m ingest.transcode SRC START END OUT PARENT``, which prints its result as one
JSON line and is killed if the loader dies; the module imports nothing heavy) and the
halves are joined. Only the standard library here: the child starts in a fraction of a
second.
"""
from __future__ import annotations

import codecs
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BLOCK = 1 << 22
PARALLEL_BYTES = 256 << 20  # above this a GB18030 file is transcoded by two processes
ROOT = Path(__file__).resolve().parents[1]  # the child imports this very module


class NotText(ValueError):
    """Bytes neither UTF-8 nor GB18030: ``line`` and ``column`` (1-based, bytes of the
    source line) and the bytes as hex."""

    def __init__(self, line: int, column: int, bad: str):
        super().__init__(f"line {line} has bytes neither encoding reads ({bad} at byte "
                         f"{column} of the line)")
        self.line, self.column, self.bad = line, column, bad

    @classmethod
    def in_text(cls, raw: bytes, exc: UnicodeDecodeError) -> NotText:
        """Where decoding the whole of raw failed."""
        seen = raw[:exc.start]
        return cls(seen.count(b"\n") + 1, exc.start - seen.rfind(b"\n"),
                   raw[exc.start:exc.end].hex(" "))


def transcode_range(src: Path, start: int, end: int, out: Path) -> dict:
    """Bytes [start, end) of src, which begin a line (or the file), as UTF-8 in out.

    Returns {"lines": line feeds, "last": the last byte written (hex, "" if none),
    "bad": None or [line within the range, byte within the line, bad bytes as hex]}.
    Lines are counted on the input (each line feed is one byte, in and out)."""
    decoder = codecs.getincrementaldecoder("gb18030")()
    lines, last, base, last_nl = 0, "", start, start - 1  # last_nl: offset of the last \n
    with open(src, "rb") as fh, open(out, "wb") as dst:
        fh.seek(start)
        while True:
            raw = fh.read(min(BLOCK, end - base)) if base < end else b""
            try:
                text = decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as exc:  # exc.object: bytes held back, then raw
                at = base - (len(exc.object) - len(raw)) + exc.start  # offset in src
                before = raw[:max(0, at - base)]
                nl = before.rfind(b"\n")
                line_start = (base + nl if nl >= 0 else last_nl) + 1
                return {"lines": lines, "last": last,
                        "bad": [lines + before.count(b"\n") + 1, at - line_start + 1,
                                exc.object[exc.start:exc.end].hex(" ")]}
            if raw:
                lines += raw.count(b"\n")
                nl = raw.rfind(b"\n")
                last_nl = base + nl if nl >= 0 else last_nl
                base += len(raw)
            data = text.encode("utf-8")
            if data:
                last = data[-1:].hex()
                dst.write(data)
            if not raw:
                return {"lines": lines, "last": last, "bad": None}


def gb18030_to_utf8(src: Path, out: Path) -> tuple[int, bytes]:
    """The whole file as UTF-8 in out: (line feeds, the last byte written). Two processes
    for a large file on a machine with two cores or more. Raises NotText at the first
    bytes that are not GB18030, OSError for a fault of the machine (e.g. a full disk)."""
    size = src.stat().st_size
    two = size > PARALLEL_BYTES and (os.cpu_count() or 1) > 1
    cut = _line_start_near(src, size // 2) if two else size
    if cut >= size:
        results = [transcode_range(src, 0, size, out)]
    else:
        part = out.with_name(out.name + ".part2")
        child = subprocess.Popen([sys.executable, "-m", __name__, str(src), str(cut), str(size),
                                  str(part), str(os.getpid())], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            first = transcode_range(src, 0, cut, out)
            stdout, stderr = child.communicate()
            results = [first, _child_result(child.returncode, stdout, stderr)]
            if first["bad"] is None and results[1]["bad"] is None:
                _append(out, part)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            part.unlink(missing_ok=True)
    lines = 0
    for result in results:
        if result["bad"] is not None:
            line, column, bad = result["bad"]
            raise NotText(lines + line, column, bad)
        lines += result["lines"]
    last = next((bytes.fromhex(r["last"]) for r in reversed(results) if r["last"]), b"\n")
    return lines, last


def _line_start_near(src: Path, offset: int) -> int:
    """The offset just after the first line feed at or after offset (the file's size if
    there is none)."""
    with open(src, "rb") as fh:
        fh.seek(offset)
        while chunk := fh.read(1 << 16):
            at = chunk.find(b"\n")
            if at >= 0:
                return offset + at + 1
            offset += len(chunk)
    return offset


def _child_result(code: int, stdout: str, stderr: str) -> dict:
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise RuntimeError(f"the transcoding process ended with code {code} and no result: "
                           f"{stderr.strip()[-2000:]}") from None
    if "errno" in result:  # a fault of the machine in the child (e.g. a full disk)
        raise OSError(result["errno"], result["error"])
    return result


def _append(out: Path, part: Path) -> None:
    """part's bytes at the end of out (in the kernel where the file system allows)."""
    with open(part, "rb") as src, open(out, "r+b") as dst:  # copy_file_range: no O_APPEND
        size, left = dst.seek(0, os.SEEK_END), os.fstat(src.fileno()).st_size
        try:
            while left > 0 and (sent := os.copy_file_range(src.fileno(), dst.fileno(), left)):
                left -= sent
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
                raise
            left = -1
        if left:  # not copied whole by the kernel: again, by reading and writing
            dst.truncate(size)
            dst.seek(size)
            src.seek(0)
            shutil.copyfileobj(src, dst, BLOCK)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when the loader dies (Linux), so a loader killed
    with SIGKILL leaves no child writing its half into the scratch folder."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):  # not Linux: the child ends when its half is done
        return
    if os.getppid() != parent:  # the loader died before the call above
        os._exit(1)


def main(argv: list[str]) -> int:
    src, start, end, out = Path(argv[0]), int(argv[1]), int(argv[2]), Path(argv[3])
    if len(argv) > 4:
        _die_with(int(argv[4]))
    try:
        result = transcode_range(src, start, end, out)
    except OSError as exc:
        print(json.dumps({"errno": exc.errno, "error": str(exc)}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
