"""GB18030 -> UTF-8 in one process or two: the same bytes, the same lines, the same errors."""
import errno

import pytest

import ingest.transcode as transcode
from warehouse.faults import DISK_FULL, machine_fault

LINE = "202201,11000,北京市,30049090,美国,一般贸易,出口,1234.5\n"
TEXT = "数据年月,注册地编码,注册地名称,商品编码,贸易伙伴名称,贸易方式名称,进出口,美元\n" + LINE * 400


def _write(tmp_path, raw: bytes):
    src = tmp_path / "g.csv"
    src.write_bytes(raw)
    return src


@pytest.mark.parametrize("parallel", [False, True])
def test_one_or_two_processes_give_the_same_utf8_and_lines(tmp_path, monkeypatch, parallel):
    src = _write(tmp_path, TEXT.encode("gb18030") + "末行无换行".encode("gb18030"))
    monkeypatch.setattr(transcode, "PARALLEL_BYTES", 0 if parallel else 1 << 40)
    monkeypatch.setattr(transcode, "BLOCK", 5)  # characters cut by blocks, in this process
    out = tmp_path / "u.csv"
    lines, last = transcode.gb18030_to_utf8(src, out)
    assert out.read_text(encoding="utf-8") == TEXT + "末行无换行"
    assert (lines, last) == (TEXT.count("\n"), "行".encode("utf-8")[-1:])
    assert not (tmp_path / "u.csv.part2").exists()


@pytest.mark.parametrize("parallel", [False, True])
def test_bytes_that_are_not_gb18030_are_named_by_line_and_byte(tmp_path, monkeypatch, parallel):
    raw = TEXT.encode("gb18030")
    bad_line = TEXT.count("\n") - 10  # in the second half: the child's range
    cut = sum(len(x) for x in raw.splitlines(True)[:bad_line - 1])
    raw = raw[:cut + 7] + b"\xff" + raw[cut + 7:]
    monkeypatch.setattr(transcode, "PARALLEL_BYTES", 0 if parallel else 1 << 40)
    monkeypatch.setattr(transcode, "BLOCK", 3)  # the bad line begins in an earlier block
    with pytest.raises(transcode.NotText) as err:
        transcode.gb18030_to_utf8(_write(tmp_path, raw), tmp_path / "u.csv")
    assert (err.value.line, err.value.column, err.value.bad) == (bad_line, 8, "ff")


def test_a_full_disk_in_the_child_is_a_fault_of_the_machine():
    with pytest.raises(OSError) as err:
        transcode._child_result(1, '{"errno": %d, "error": "No space left on device"}'
                                % errno.ENOSPC, "")
    assert machine_fault(err.value) == DISK_FULL
    with pytest.raises(RuntimeError, match="no result"):
        transcode._child_result(-9, "", "Killed")


def _ended(pid: int) -> bool:
    """Gone, or a zombie waiting for whoever adopted it."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_the_transcoding_child_dies_with_the_loader(tmp_path):
    """A loader killed with SIGKILL takes its child with it: the child here waits forever
    on a named pipe nobody writes, so only the kernel's parent-death signal can end it."""
    import os
    import signal
    import subprocess
    import sys
    import time
    if not sys.platform.startswith("linux"):
        pytest.skip("the parent-death signal is Linux's")
    fifo = tmp_path / "never.csv"
    os.mkfifo(fifo)
    loader = subprocess.Popen(
        [sys.executable, "-c",
         "import os, subprocess, sys, time\n"
         f"c = subprocess.Popen([sys.executable, '-m', 'ingest.transcode', {str(fifo)!r}, '0', "
         f"'9', {str(tmp_path / 'part')!r}, str(os.getpid())])\n"
         "print(c.pid, flush=True)\ntime.sleep(120)\n"],
        stdout=subprocess.PIPE, text=True, cwd=transcode.ROOT)
    child = int(loader.stdout.readline())
    time.sleep(2)  # the child has started and blocks opening the pipe
    assert not _ended(child)
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()
    deadline = time.monotonic() + 5
    while not _ended(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert _ended(child), "the child outlived the loader"
    finally:
        if not _ended(child):
            os.kill(child, signal.SIGKILL)


def test_a_disk_io_error_is_a_full_disk_only_where_no_room_is_left(tmp_path):
    error = RuntimeError("(sqlite3.OperationalError) disk I/O error")
    assert machine_fault(error) is None                    # no folder to look at
    assert machine_fault(error, tmp_path) is None          # room left: not the disk's fullness
    assert machine_fault(RuntimeError("database or disk is full")) == DISK_FULL
