"""Every StreamingQueryProgress of a job's queries as JSON lines, one file per query name.

``progress/<query name>.jsonl`` gets one line per progress event (Spark's own JSON: input and
process rates, batch duration and its breakdown in durationMs, state operators' rows, the
event-time watermark, sources' offsets). Each line is written with one write call and flushed, so
a reader sees whole lines; a reader should ignore a last line without its newline. A restarted
query appends to the same file (its runId changes).
"""

from __future__ import annotations

import os
import threading

from pyspark.sql.streaming import StreamingQueryListener


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
        line = progress.json.replace("\n", " ") + "\n"
        with self._lock, open(self.path_for(progress.name), "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()

    def onQueryIdle(self, event) -> None:  # noqa: N802
        pass

    def onQueryTerminated(self, event) -> None:  # noqa: N802
        pass
