"""One Arrow IPC file per micro-batch, named by batch id: a replayed batch replaces its own file.

Files are ``<folder>/batch-<batch id, 10 digits>.arrow``, written atomically (temporary name,
then rename, see arrow_io), so a reader never sees half a file and a batch that Spark replays
after a restart (same id, same offsets, same state) overwrites the file it wrote before instead
of adding a duplicate. Readers that need the latest figure of a key take the row of the highest
batch id.
"""

from __future__ import annotations

import os
import re
from typing import Optional

import pyarrow as pa

from pitchstream_jobs.arrow_io import write_arrow_ipc

BATCH_FILE = re.compile(r"^batch-(\d+)\.arrow$")


def batch_file_path(folder: str, batch_id: int) -> str:
    return os.path.join(folder, f"batch-{batch_id:010d}.arrow")


def batch_id_of(name: str) -> Optional[int]:
    """The batch id in a batch file's name, or None for any other file."""
    match = BATCH_FILE.match(os.path.basename(name))
    return int(match.group(1)) if match else None


def write_batch_table(table: pa.Table, folder: str, batch_id: int) -> str:
    path = batch_file_path(folder, batch_id)
    write_arrow_ipc(table, path)
    return path


def with_batch_id(table: pa.Table, batch_id: int) -> pa.Table:
    """The table with the micro-batch id as its first column (batch_id, int64)."""
    return table.add_column(0, "batch_id", pa.array([int(batch_id)] * table.num_rows, type=pa.int64()))
