"""The owner watch of jobs/pitchstream_jobs/runtime.py: a job stops once the process that submitted it is gone."""

import os
import subprocess
import sys
import tempfile
import time
import unittest
from unittest import mock

from pitchstream_jobs.runtime import OWNER_PID_VARIABLE, JobContext, owner_pid_from_environment, process_alive


class RecordingSpark:
    """What the watcher calls on the session: cancelled Spark jobs and the active streaming queries."""

    def __init__(self, active_queries: int = 0) -> None:
        self.cancelled = 0
        self.stopped = 0
        self.sparkContext = self
        self.streams = self
        self.active = [self] * active_queries

    def cancelAllJobs(self) -> None:
        self.cancelled += 1

    def stop(self) -> None:  # a query's stop
        self.stopped += 1


class OwnerWatchTest(unittest.TestCase):
    def test_reads_the_owner_pid_and_ignores_what_is_not_one(self) -> None:
        for value, expected in (("4242", 4242), ("", None), ("1", None), ("-3", None), ("abc", None)):
            with mock.patch.dict(os.environ, {OWNER_PID_VARIABLE: value}):
                self.assertEqual(owner_pid_from_environment(), expected, value)

    def test_a_zombie_owner_counts_as_gone(self) -> None:
        # A child that exited and is not reaped yet: what a killed kernel is until Jupyter reaps it.
        owner = subprocess.Popen([sys.executable, "-c", "pass"])
        deadline = time.time() + 10
        while process_alive(owner.pid) and time.time() < deadline:
            time.sleep(0.05)
        self.assertFalse(process_alive(owner.pid))
        os.kill(owner.pid, 0)  # still there: a zombie answers signal 0
        owner.wait()

    def test_a_dead_owner_stops_the_job_cancels_its_spark_jobs_and_leaves_the_reason_in_the_stop_file(self) -> None:
        owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        with tempfile.TemporaryDirectory() as folder:
            stop_file = os.path.join(folder, "stop")
            spark = RecordingSpark()
            job = JobContext(spark, stop_file, owner.pid)  # type: ignore[arg-type]
            job.start_stop_watcher()
            try:
                time.sleep(1.2)
                self.assertFalse(job.stop_requested.is_set(), "the owner is alive: nothing is stopped")
                owner.kill()
                owner.wait()
                self.assertFalse(process_alive(owner.pid))
                self.assertTrue(job.stop_requested.wait(5), "the watcher did not notice the owner's death")
                self.assertTrue(job.owner_gone)
                self.assertEqual(spark.cancelled, 1)
                with open(stop_file, encoding="utf-8") as handle:
                    self.assertIn(f"the process that submitted this job (pid {owner.pid}) is gone", handle.read())
            finally:
                job.close()
                if owner.poll() is None:
                    owner.kill()


    def test_a_stream_job_is_asked_through_its_own_stop_file_and_its_running_batch_is_left_to_finish(self) -> None:
        owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        with tempfile.TemporaryDirectory() as folder:
            stop_file = os.path.join(folder, "stop")
            spark = RecordingSpark(active_queries=1)
            # As the stream jobs run it: the context watches no stop file; run_queries watches stop_file.
            job = JobContext(spark, None, owner.pid, stop_request_file=stop_file)  # type: ignore[arg-type]
            job.start_stop_watcher()
            try:
                owner.kill()
                owner.wait()
                deadline = time.time() + 5
                while not os.path.exists(stop_file) and time.time() < deadline:
                    time.sleep(0.1)
                with open(stop_file, encoding="utf-8") as handle:
                    self.assertIn("is gone: stopping", handle.read())
                self.assertEqual((spark.cancelled, spark.stopped), (0, 0))
                self.assertFalse(job.stop_requested.is_set())
            finally:
                job.close()


if __name__ == "__main__":
    unittest.main()
