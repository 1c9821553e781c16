"""Atomic outputs: a reader never sees a half-written Arrow or JSON file.

Each file is written under a temporary name in the same folder, then renamed with os.replace
(atomic on one file system).
"""

from __future__ import annotations

import json
import os
from typing import Any, Mapping

import pyarrow as pa
from pyspark.sql import DataFrame


def _temporary_path(path: str) -> str:
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{name}.tmp-{os.getpid()}")


def write_arrow_ipc(table: pa.Table, path: str) -> None:
    """Writes the table as an Arrow IPC file (file format) at path, atomically."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = _temporary_path(path)
    try:
        with pa.OSFile(temporary, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def write_dataframe_arrow(frame: DataFrame, path: str) -> int:
    """Collects a (small) DataFrame to the driver and writes it as Arrow IPC; returns the row count."""
    table = frame.toArrow()
    write_arrow_ipc(table, path)
    return table.num_rows


def write_json(record: Mapping[str, Any], path: str) -> None:
    """Writes a JSON document at path, atomically."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = _temporary_path(path)
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=2)
            handle.write("\n")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
