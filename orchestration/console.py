"""What `medtrade run` shows while it works, and the full log it keeps.

Two Dagster loggers, used by the CLI's runs (the UI keeps Dagster's own):
- `medtrade_progress`: one line per step as it starts and ends ("[3/23] raw/customs_exports
  ... 5.7 s"), the loaders' row and byte counts under it, warnings and errors;
- `medtrade_file`: every Dagster log line (debug included) into the run's log file.
"""
from __future__ import annotations

import logging
import sys
import time

import dagster as dg

# Messages of a step that the console shows under the step line (loads: rows and bytes).
SHOWN_INFO_STEPS = ("raw__customs_exports", "raw__yearbook_values", "raw_world")


class ProgressHandler(logging.Handler):
    def __init__(self, total_steps: int, stream=None):
        super().__init__(logging.DEBUG)  # Dagster logs step starts and ends at DEBUG
        self.total, self.done = total_steps, 0
        # the terminal even while the CLI sends what libraries print to the log file
        self.stream = stream or sys.__stdout__
        self.started: dict[str, float] = {}
        self.run_started = time.perf_counter()

    def _say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event, step = meta.get("dagster_event"), meta.get("step_key")
        elapsed = f"{time.perf_counter() - self.run_started:6.1f} s"
        if event is not None:
            kind = event.event_type_value
            if kind == "STEP_START":
                self.started[step] = time.perf_counter()
                self._say(f"[{elapsed}] step {self.done + 1}/{self.total}: {_label(step)} ...")
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
                self.done += 1
                took = time.perf_counter() - self.started.get(step, time.perf_counter())
                word = {"STEP_SUCCESS": "done", "STEP_FAILURE": "FAILED",
                        "STEP_SKIPPED": "skipped"}[kind]
                self._say(f"[{elapsed}]   {word}: {_label(step)} ({took:.1f} s)")
            elif kind == "ASSET_CHECK_EVALUATION" and not event.event_specific_data.passed:
                data = event.event_specific_data
                word = "warns" if data.severity == dg.AssetCheckSeverity.WARN else "failed"
                self._say(f"[{elapsed}]   check {word}: {data.check_name}")
            return
        message = meta.get("orig_message", record.getMessage())
        if message.startswith("Dependencies for step"):  # said once, by the failed step
            return
        if record.levelno >= logging.WARNING:
            self._say(f"[{elapsed}]   {record.levelname.lower()}: {message}")
        elif step in SHOWN_INFO_STEPS and record.levelno >= logging.INFO:
            self._say(f"[{elapsed}]     {message}")


def _label(step: str | None) -> str:
    """raw__customs_exports -> raw/customs_exports; a GX check step -> "check <table> (GX)"."""
    if not step:
        return "run"
    if "_gx_" in step:
        return f"check {step.split('_gx_', 1)[1].replace('__', '.', 1)} (GX)"
    return step.replace("__", "/", 1)


@dg.logger(config_schema={"total_steps": int}, description="Step N/M progress for the CLI")
def progress_logger(init_context) -> logging.Logger:
    logger = logging.getLogger("medtrade.progress")
    logger.setLevel(logging.DEBUG)
    logger.handlers = [ProgressHandler(init_context.logger_config["total_steps"])]
    logger.propagate = False
    return logger


@dg.logger(config_schema={"path": str}, description="Every log line of the run into a file")
def file_logger(init_context) -> logging.Logger:
    logger = logging.getLogger("medtrade.file")
    logger.setLevel(logging.DEBUG)
    handler = logging.FileHandler(init_context.logger_config["path"], encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.handlers = [handler]
    logger.propagate = False
    return logger


LOGGERS = {"console": dg.colored_console_logger, "medtrade_progress": progress_logger,
           "medtrade_file": file_logger}
