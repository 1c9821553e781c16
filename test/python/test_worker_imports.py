"""pitchstream_jobs.worker_imports: a zip on sys.path is re-read at invalidation only when it changed.

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -p 'test_worker_imports.py' -v
"""

from __future__ import annotations

import os
import sys
import tempfile
import unittest
import zipfile
import zipimport

from pitchstream_jobs.worker_imports import skip_unchanged_zip_rereads


@unittest.skipIf(sys.version_info >= (3, 12), "Python 3.12 re-reads lazily: nothing is installed")
class SkipUnchangedZipRereadsTest(unittest.TestCase):
    def test_an_unchanged_archive_keeps_its_directory_and_a_changed_one_is_read_again(self) -> None:
        self.assertTrue(skip_unchanged_zip_rereads())
        self.assertTrue(skip_unchanged_zip_rereads())  # once per process
        with tempfile.TemporaryDirectory() as folder:
            archive = os.path.join(folder, "lib.zip")
            with zipfile.ZipFile(archive, "w") as zipped:
                zipped.writestr("first.py", "VALUE = 1\n")
            importer = zipimport.zipimporter(archive)
            importer.invalidate_caches()  # first sight: read
            directory = importer._files  # type: ignore[attr-defined]
            importer.invalidate_caches()
            self.assertIs(importer._files, directory)  # type: ignore[attr-defined]  # unchanged: not read again

            with zipfile.ZipFile(archive, "a") as zipped:
                zipped.writestr("second.py", "VALUE = 2\n")
            os.utime(archive, ns=(0, os.stat(archive).st_mtime_ns + 1_000_000_000))
            importer.invalidate_caches()
            self.assertIsNotNone(importer.find_spec("second"))


if __name__ == "__main__":
    unittest.main()
