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

    def __init__(self) -> None:
        self.cancelled = 0
        self.sparkContext = self
        self.streams = self
        self.active = []

    def cancelAllJobs(self) -> None:
        self.cancelled += 1


class OwnerWatchTest(unittest.TestCase):
    def test_reads_the_owner_pid_and_ignores_what_is_not_one(self) -> None:
        for value, expected in (("4242", 4242), ("", None), ("1", None), ("-3", None), ("abc", None)):
            with mock.patch.dict(os.environ, {OWNER_PID_VARIABLE: value}):
                self.assertEqual(owner_pid_from_environment(), expected, value)

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


if __name__ == "__main__":
    unittest.main()
