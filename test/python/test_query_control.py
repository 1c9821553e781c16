"""drop_uncommitted_batches: what a restart finds in a checkpoint stopped mid-batch."""

import os
import tempfile
import unittest

from pitchstream_jobs.query_control import drop_uncommitted_batches


def touch(path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("v1\n")


class DropUncommittedBatchesTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.checkpoint = os.path.join(self.dir.name, "match_stats")

    def tearDown(self) -> None:
        self.dir.cleanup()

    def listing(self, sub: str):
        return sorted(os.listdir(os.path.join(self.checkpoint, sub)))

    def test_drops_the_planned_batch_after_the_last_commit(self) -> None:
        for batch in (0, 1, 2):
            touch(os.path.join(self.checkpoint, "offsets", str(batch)))
        touch(os.path.join(self.checkpoint, "offsets", ".2.crc"))
        for batch in (0, 1):
            touch(os.path.join(self.checkpoint, "commits", str(batch)))
        self.assertEqual(drop_uncommitted_batches(self.checkpoint), [2])
        self.assertEqual(self.listing("offsets"), ["0", "1"])
        self.assertEqual(self.listing("commits"), ["0", "1"])

    def test_leaves_a_fully_committed_checkpoint_alone(self) -> None:
        for batch in (0, 1):
            touch(os.path.join(self.checkpoint, "offsets", str(batch)))
            touch(os.path.join(self.checkpoint, "commits", str(batch)))
        self.assertEqual(drop_uncommitted_batches(self.checkpoint), [])
        self.assertEqual(self.listing("offsets"), ["0", "1"])

    def test_a_first_batch_never_committed_and_a_new_checkpoint(self) -> None:
        touch(os.path.join(self.checkpoint, "offsets", "0"))
        self.assertEqual(drop_uncommitted_batches(self.checkpoint), [0])
        self.assertEqual(self.listing("offsets"), [])
        self.assertEqual(drop_uncommitted_batches(os.path.join(self.dir.name, "never-started")), [])


if __name__ == "__main__":
    unittest.main()
