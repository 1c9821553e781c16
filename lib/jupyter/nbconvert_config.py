# nbconvert configuration for pitchstream's headless runs (passed with --config by execute-notebook.ts).
#
# tslab reports a failing cell only through the status of its execute reply: no error output, the
# message goes to stderr. nbconvert without --allow-errors then writes no notebook at all, and with
# it the run goes on. These hooks (run with --allow-errors) mark the failing cell and skip every
# later one, so the copy on disk stops where the failure happened and says which cell it was.
SKIP_TAG = "pitchstream-skipped"

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
failed = {"index": None}


def mark_failed(cell, cell_index, execute_reply, **_):
    if failed["index"] is None:
        failed["index"] = cell_index
        cell.metadata["pitchstream"] = {"failed": True}


def skip_after_failure(cell, cell_index, **_):
    if failed["index"] is not None and cell.cell_type == "code":
        cell.metadata.setdefault("tags", []).append(SKIP_TAG)


c.ExecutePreprocessor.on_cell_error = mark_failed
c.ExecutePreprocessor.on_cell_start = skip_after_failure
c.ExecutePreprocessor.skip_cells_with_tag = SKIP_TAG
