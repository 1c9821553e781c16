"""Keeps PySpark's Python workers from re-reading every zip archive on sys.path at each task.

PySpark's worker calls ``importlib.invalidate_caches()`` at the start of every task (after adding the
task's --py-files to sys.path). On Python 3.10 and 3.11 that makes every ``zipimporter`` re-read
its archive's whole directory at once (CPython gh-103200; Python 3.12 re-reads lazily, on the next
import). The workers import pyspark itself from ``pyspark.zip`` (1,220 entries), with one
zipimporter per package they have imported, so every task paid for reading that directory a few
dozen times: measured with py-spy on stream_lwp's workers, 42 % of their samples and about 300 ms
per task, i.e. per micro-batch.

:func:`skip_unchanged_zip_rereads` makes the re-read happen only when an archive has changed (its
modification time or size), which is what invalidation is for: an archive that did not change holds
the same directory. Call it from a module that the workers import (a pandas function's module):
workers are reused across tasks, so every task after the first one gains.
"""

from __future__ import annotations

import os
import sys
import zipimport
from typing import Callable, Dict, Optional, Tuple

_Stamp = Optional[Tuple[int, int]]
_MARK = "_pitchstream_skips_unchanged"


def _stamp(path: str) -> _Stamp:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def skip_unchanged_zip_rereads() -> bool:
    """Installs the check once per process on Python < 3.12; returns whether it is in place."""
    if sys.version_info >= (3, 12):
        return False  # already lazy
    current = zipimport.zipimporter.invalidate_caches
    if getattr(current, _MARK, False):
        return True
    read: Dict[str, _Stamp] = {}

    def invalidate_caches(self: zipimport.zipimporter, _reread: Callable[[zipimport.zipimporter], None] = current) -> None:
        stamp = _stamp(self.archive)
        if stamp is not None and read.get(self.archive) == stamp:
            return  # unchanged since it was last read: the same directory
        _reread(self)
        read[self.archive] = stamp

    setattr(invalidate_caches, _MARK, True)
    zipimport.zipimporter.invalidate_caches = invalidate_caches  # type: ignore[method-assign]
    return True


__all__ = ["skip_unchanged_zip_rereads"]
