"""Every StreamingQueryProgress of a job's queries as JSON lines, one file per query name.

``progress/<query name>.jsonl`` gets one line per progress event (Spark's own JSON: input and
process rates, batch duration and its breakdown in durationMs, state operators' rows, the
event-time watermark, sources' offsets, observed metrics). Observed metrics keep their counts but
not their lists (the dead letters, which foreachBatch writes to files of their own): a burst of
malformed records must not swell the progress file that notebooks re-read while a job runs. Each
line is written with one write call and flushed, so a reader sees whole lines; a reader should ignore a last line without its newline. A restarted
query appends to the same file (its runId changes).
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Dict

from pyspark.sql.streaming import StreamingQueryListener


def without_lists(progress: Dict[str, Any]) -> Dict[str, Any]:
    """The progress with every list-valued field of its observed metrics left out."""
    observed = progress.get("observedMetrics")
    if not observed:
        return progress
    counts = {name: {key: value for key, value in values.items() if not isinstance(value, list)} for name, values in observed.items()}
    return {**progress, "observedMetrics": counts}


class ProgressFileListener(StreamingQueryListener):
    """Appends each progress event of every query of the session to <folder>/<name>.jsonl."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        os.makedirs(folder, exist_ok=True)

    def path_for(self, name: str) -> str:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in (name or "query"))
        return os.path.join(self.folder, f"{safe}.jsonl")

    def onQueryStarted(self, event) -> None:  # noqa: N802 - Spark's callback names
        pass

    def onQueryProgress(self, event) -> None:  # noqa: N802
        progress = event.progress
        line = json.dumps(without_lists(json.loads(progress.json)), separators=(",", ":")) + "\n"
        with self._lock, open(self.path_for(progress.name), "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()

    def onQueryIdle(self, event) -> None:  # noqa: N802
        pass

    def onQueryTerminated(self, event) -> None:  # noqa: N802
        pass
