"""What every job entry script shares: arguments, the SparkSession, stop and error reporting.

The contract with lib/spark (TypeScript) is:

* ``submitJob`` appends ``--stop-file PATH --error-file PATH`` to the job's own arguments.
* Right after the session starts, the job prints one line on stdout:
  ``PITCHSTREAM_APP {"appId": "...", "uiUrl": "..."}``.
* When ``PATH`` of ``--stop-file`` appears, the job stops its streaming queries and ends cleanly
  (exit code 0).
* ``PITCHSTREAM_OWNER_PID`` names the process that submitted the job. When it is gone (a notebook
  kernel that died, a ``kill -9``), the job stops as on a stop request and cancels its Spark jobs:
  it runs in a process group of its own, which its owner's death does not reach. It writes the
  reason into the stop file, as its log went through the owner.
* An uncaught exception is written to ``--error-file`` as JSON ``{"type", "message",
  "traceback"}`` before the process exits non-zero; lib turns it into a JOB_FAILED error.

Jobs never hard-code Spark settings: master, memory, jars and profile come from spark-submit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import traceback
from contextlib import contextmanager
from typing import Callable, Iterator, NoReturn, Optional, Sequence

from pyspark.sql import SparkSession
from pyspark.sql.streaming import StreamingQuery

APP_LINE_PREFIX = "PITCHSTREAM_APP "
STOP_POLL_SECONDS = 0.5
OWNER_PID_VARIABLE = "PITCHSTREAM_OWNER_PID"


def owner_pid_from_environment() -> Optional[int]:
    """The owner's pid from the environment; None when unset or not a pid (then nothing is watched)."""
    value = os.environ.get(OWNER_PID_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 1 else None


def process_alive(pid: int) -> bool:
    """False once pid has exited, including while it waits as a zombie for its parent to reap it."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
    # A killed kernel stays a zombie until Jupyter reaps it, seconds later: it answers signal 0.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): signal 0 is all there is
    return state not in ("Z", "X")


class JobArgumentError(Exception):
    """The job was called with invalid arguments (raised instead of argparse's exit)."""


class JobArgumentParser(argparse.ArgumentParser):
    """argparse with the runtime's own options; errors raise instead of exiting."""

    def __init__(self, description: Optional[str] = None) -> None:
        super().__init__(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
        runtime = self.add_argument_group("runtime (added by submitJob)")
        runtime.add_argument("--stop-file", help="stop cleanly once this file exists")
        runtime.add_argument("--error-file", help="write an uncaught exception here as JSON")

    def error(self, message: str) -> NoReturn:
        raise JobArgumentError(f"{message}\n{self.format_usage()}")


class JobContext:
    """The running job: its SparkSession and the stop request made through the stop file."""

    def __init__(self, spark: SparkSession, stop_file: Optional[str], owner_pid: Optional[int] = None, stop_request_file: Optional[str] = None) -> None:
        self.spark = spark
        self.stop_requested = threading.Event()
        self.owner_gone = False
        self._stop_file = stop_file
        self._owner_pid = owner_pid
        # Where a stop is requested when the owner is gone: the stop file the job honours (its own
        # graceful stop, e.g. query_control.run_queries), which may not be the one watched here.
        self._stop_request_file = stop_request_file or stop_file
        self._closed = threading.Event()
        self._watcher: Optional[threading.Thread] = None

    def start_stop_watcher(self) -> None:
        if not self._stop_file and self._owner_pid is None:
            return
        self._watcher = threading.Thread(target=self._watch_stop_requests, name="pitchstream-stop-watcher", daemon=True)
        self._watcher.start()

    def close(self) -> None:
        """Ends the watcher before the session stops (it must not touch a stopped session)."""
        self._closed.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5 * STOP_POLL_SECONDS)

    def _watch_stop_requests(self) -> None:
        # Keeps polling after the request, so that a query started late is stopped as well.
        while not self._closed.is_set():
            if self._stop_file and os.path.exists(self._stop_file):
                self.stop_requested.set()
            if self._owner_pid is not None and not self.owner_gone and not process_alive(self._owner_pid):
                self._on_owner_gone()
            if self.stop_requested.is_set():
                stop_active_queries(self.spark)
            self._closed.wait(STOP_POLL_SECONDS)

    def _on_owner_gone(self) -> None:
        # Streams end as on a stop request; a batch job's running Spark jobs are cancelled, so that
        # its action fails and the job exits instead of computing for nobody.
        self.owner_gone = True
        reason = f"the process that submitted this job (pid {self._owner_pid}) is gone: stopping"
        # The request goes where the job looks for one; the file keeps the reason, as the driver log
        # went through the owner (a closed pipe now).
        if self._stop_request_file:
            with open(self._stop_request_file, "w", encoding="utf-8") as handle:
                handle.write(reason + "\n")
        else:
            self.stop_requested.set()
        try:
            print(f"pitchstream: {reason}", file=sys.stderr, flush=True)
        except OSError:
            pass
        # A batch job would compute on for nobody: cancel its Spark jobs. Streams stop between batches.
        if not self.spark.streams.active:
            self.spark.sparkContext.cancelAllJobs()

    def await_query(self, query: StreamingQuery, poll_seconds: float = 1.0) -> None:
        """Blocks until the query ends (stop file or failure); re-raises the query's error."""
        try:
            while query.isActive and not self.stop_requested.is_set():
                query.awaitTermination(poll_seconds)
        finally:
            if query.isActive:
                query.stop()
        error = query.exception()
        if error is not None:
            raise error


def stop_active_queries(spark: SparkSession) -> None:
    for query in spark.streams.active:
        query.stop()


def print_app_line(spark: SparkSession) -> None:
    """The machine-readable line lib waits for: application id and Spark UI address."""
    context = spark.sparkContext
    line = json.dumps({"appId": context.applicationId, "uiUrl": context.uiWebUrl})
    print(APP_LINE_PREFIX + line, flush=True)


@contextmanager
def job_session(args: argparse.Namespace, stop_request_file: Optional[str] = None) -> Iterator[JobContext]:
    """Starts the SparkSession that spark-submit configured, reports it, stops it at the end.

    stop_request_file: the stop file a job watches itself (streams stop between batches there), for
    the owner watch to request the stop through; default: args.stop_file, watched here.
    """
    spark = SparkSession.builder.getOrCreate()
    job = JobContext(spark, args.stop_file, owner_pid_from_environment(), stop_request_file)
    try:
        print_app_line(spark)
        job.start_stop_watcher()
        yield job
    finally:
        job.close()
        stop_active_queries(spark)
        spark.stop()


def write_error_file(path: str, error: BaseException) -> None:
    """The uncaught exception as JSON, written atomically (lib may read it at any moment)."""
    record = {
        "type": type(error).__name__,
        "module": type(error).__module__,
        "message": str(error),
        "traceback": "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    }
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2)
    os.replace(temporary, path)


def _error_file_from(argv: Sequence[str]) -> Optional[str]:
    for index, value in enumerate(argv):
        if value == "--error-file" and index + 1 < len(argv):
            return argv[index + 1]
        if value.startswith("--error-file="):
            return value.split("=", 1)[1]
    return None


def run(main: Callable[[Sequence[str]], None], argv: Optional[Sequence[str]] = None) -> None:
    """Runs an entry script's main(argv); an uncaught exception goes to --error-file, then up."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        main(arguments)
    except BaseException as error:  # noqa: BLE001 - reported, then re-raised unchanged
        error_file = _error_file_from(arguments)
        if error_file and not (isinstance(error, SystemExit) and error.code in (0, None)):
            write_error_file(error_file, error)
        raise
