"""Runs the history still shows as running, whose process is gone.

A run killed with ``kill -9``, by the out-of-memory killer or by a machine that stopped
never writes its end: Dagster's run history (and the UI) would show it started for ever,
and nobody could tell it from a run still going. No daemon watches runs here, so the next
`medtrade run` or `medtrade load` (holding the data folder's lock: no other run of this
folder can be going) and `medtrade ui` mark each such run failed, naming the process that
ended. What it left half-done is healed by the next run (docs/operations.md).

A data folder copied to another machine carries its history: a recorded pid that happens
to be alive there keeps its run as it is (never marked wrongly, at worst not marked).

A run is only marked when the process that started it is known from its start event and
no longer exists; a run whose process is alive, or unknown, is left as it is.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class UnfinishedRun:
    run_id: str
    pid: int
    started: datetime | None
    marked: str  # failed, or canceled (it was being canceled)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _start_pid(instance, run_id: str) -> int | None:
    from dagster import DagsterEventType
    for record in instance.all_logs(run_id, of_type=DagsterEventType.RUN_START):
        event = record.dagster_event
        if event is not None and event.pid:
            return int(event.pid)
    return None


def close_unfinished_runs(instance, by: str) -> list[UnfinishedRun]:
    """Mark failed every run recorded as going whose process has ended (canceled if it was
    being canceled); the runs marked.

    ``by``: the command doing it, for the run history's message."""
    from dagster import DagsterRunStatus, RunsFilter
    going = (DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING)
    closed = []
    for run in instance.get_runs(filters=RunsFilter(statuses=list(going))):
        pid = _start_pid(instance, run.run_id)
        if pid is None or pid == os.getpid() or _alive(pid):
            continue
        record = instance.get_run_record_by_id(run.run_id)
        started = (datetime.fromtimestamp(record.start_time, timezone.utc)
                   if record is not None and record.start_time else None)
        canceling = run.status == DagsterRunStatus.CANCELING  # it was being stopped anyway
        mark = instance.report_run_canceled if canceling else instance.report_run_failed
        mark(run, message=(
            f"Left unfinished: its process (pid {pid}) ended before the run did (killed, out of "
            f"memory, or the machine stopped). Marked {'canceled' if canceling else 'failed'} "
            f"by {by} at {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC. The next run "
            "rebuilds from the landing files what this one left half-done."))
        closed.append(UnfinishedRun(run.run_id, pid, started,
                                    "canceled" if canceling else "failed"))
    return closed


def close_and_describe(instance, by: str, *, rebuilds: bool = True) -> list[str]:
    """``close_unfinished_runs``, as lines for the console and the log. A failure to mark
    never stops the command (a warning line), unless the machine is at fault (a full disk:
    the caller names it). ``rebuilds``: the command heals what they left (not the UI)."""
    from warehouse.faults import machine_fault
    try:
        closed = close_unfinished_runs(instance, by)
    except Exception as exc:
        if machine_fault(exc, instance.root_directory) is not None:
            raise
        return [f"  warning: earlier runs left unfinished could not be marked in the run "
                f"history ({type(exc).__name__}: {exc})"]
    then = ". This run rebuilds what it left half-done." if rebuilds else "."
    return [f"  earlier run {run.run_id[:8]}"
            + (f", started {run.started:%Y-%m-%d %H:%M} UTC" if run.started else "")
            + f" was left unfinished (its process {run.pid} is gone: killed, or the machine "
            f"stopped); marked {run.marked} in the run history{then}" for run in closed]
