"""Pure transforms of stream_match_stats on tiny hand-made frames (batch DataFrames, one local SparkSession):
parsing and reject reasons (event_stream), window statistics and team rows (match_stats), the intake
summary (dead_letter) and batch file names (batch_output).

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -v
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import unittest
from datetime import datetime, timezone

import pyarrow as pa
from pyspark.sql import SparkSession

from pitchstream_jobs.batch_output import batch_file_path, batch_id_of, with_batch_id, write_batch_table
from pitchstream_jobs.contract import event_schema
from pitchstream_jobs.dead_letter import INTAKE_METRICS, intake_summary, observe_intake, write_intake
from pitchstream_jobs.event_stream import configure_parsing_session, good_events, malformed_records, parse_event_records
from pitchstream_jobs.match_stats import BALANCE_RADIUS_YD, METRIC_NAMES, STAT_FIELDS, side_metrics, team_rows, window_stats
from pitchstream_jobs.observed_metrics import ObservedMetricsError, batch_metrics
from pitchstream_jobs.progress import without_lists

KICK_OFF = "2022-07-06T21:00:00.000Z"
HOME, AWAY = 10, 20


def event(seconds, team, kind="Pass", possession=None, **fields):
    """A complete contract record at kick-off + seconds."""
    stamp = datetime.fromtimestamp(datetime(2022, 7, 6, 21, tzinfo=timezone.utc).timestamp() + seconds, timezone.utc)
    record = {
        "match_id": 1, "home_team_id": HOME, "away_team_id": AWAY, "synthetic": True, "id": f"e{seconds}-{team}",
        "index": int(seconds), "period": 1, "timestamp": "00:00:00.000", "minute": int(seconds // 60), "second": int(seconds % 60),
        "event_time": stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z", "type": kind, "team_id": team,
        "team_name": str(team), "possession": 1, "possession_team_id": possession or team, "play_pattern": "Regular Play",
        "player_id": 7, "player_name": "P", "location": [60.0, 40.0], "end_location": None, "under_pressure": False,
        "pass_length": None, "pass_outcome": None, "shot_xg": None, "shot_outcome": None, "duel_type": None, "duel_outcome": None,
        "card": None, "freeze_frame": None, "visible_area": None,
    }
    record.update(fields)
    return record


class MatchStatsTest(unittest.TestCase):
    spark: SparkSession

    @classmethod
    def setUpClass(cls) -> None:
        cls.spark = (
            SparkSession.builder.master("local[1]")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        cls.schema = event_schema()
        configure_parsing_session(cls.spark)  # as the streaming jobs do: without it a micro-batch plans for minutes

    @classmethod
    def tearDownClass(cls) -> None:
        cls.spark.stop()

    def records(self, values):
        rows = [(None if v is None else v.encode(), i, datetime(2026, 1, 1, tzinfo=timezone.utc)) for i, v in enumerate(values)]
        return self.spark.createDataFrame(rows, "value binary, offset long, timestamp timestamp").selectExpr(
            "value", "0 as partition", "offset", "timestamp"
        )

    def parsed(self, values):
        return parse_event_records(self.records(values), self.schema)

    def test_reject_reasons_name_what_is_wrong_and_good_records_have_none(self):
        good = event(1, HOME)
        values = [
            json.dumps(good),
            "not json at all",
            "[1, 2]",
            json.dumps({**good, "match_id": "one"}),
            json.dumps({k: v for k, v in good.items() if k not in ("team_id", "type")}),
            json.dumps({**good, "possession_team_id": 99}),
            json.dumps({**good, "end_location": [1.0, 2.0, 3.0]}),
            None,
        ]
        reasons = [row["reject_reason"] for row in self.parsed(values).orderBy("offset").collect()]
        self.assertEqual(
            reasons,
            [None, "not JSON", "not a JSON object", "wrong type: match_id", "missing required: type, team_id",
             "team not in match: possession_team_id", "malformed point: end_location", "empty value"],
        )

    def test_is_good_agrees_with_reject_reason_and_malformed_records_keep_every_bad_one(self):
        good = event(1, HOME)
        values = [json.dumps(good), None, "", "{", json.dumps({**good, "team_id": 99}), json.dumps({**good, "index": "x"})]
        rows = self.parsed(values).orderBy("offset").collect()
        self.assertEqual([row["is_good"] for row in rows], [row["reject_reason"] is None for row in rows])
        bad = malformed_records(self.parsed(values)).orderBy("offset").collect()
        self.assertEqual([row["offset"] for row in bad], [1, 2, 3, 4, 5])
        self.assertTrue(all(row["reason"] for row in bad))

    def test_each_record_is_parsed_once_in_the_optimized_plans(self):
        # Without the parse barrier Spark copies from_json into the filter once per field it reads (116 copies).
        parsed = self.parsed([json.dumps(event(1, HOME))])
        observed = observe_intake(parsed)
        for frame in (good_events(parsed, self.schema, STAT_FIELDS), window_stats(good_events(observed, self.schema, STAT_FIELDS))):
            plan = frame._jdf.queryExecution().optimizedPlan().toString()
            self.assertEqual(plan.count("from_json("), 1, plan[:2000])

    def stats(self, events, **options):
        parsed = self.parsed([json.dumps(e) for e in events])
        windows = window_stats(good_events(parsed, self.schema, STAT_FIELDS), **options)
        return {(row["window_start_ms"], row["team_id"]): row for row in team_rows(windows).collect()}

    def test_window_rows_hold_both_sides_and_the_possession_share_adds_up_to_one(self):
        frame = [
            {"location": [61.0, 40.0], "teammate": True, "actor": True, "keeper": False},
            {"location": [65.0, 40.0], "teammate": True, "actor": False, "keeper": False},
            {"location": [60.0, 40.0 + BALANCE_RADIUS_YD + 0.01], "teammate": False, "actor": False, "keeper": False},
            {"location": [55.0, 42.0], "teammate": False, "actor": False, "keeper": False},
            {"location": [58.0, 44.0], "teammate": False, "actor": False, "keeper": False},
        ]
        events = [
            event(1, HOME, "Pass", pass_length=10.0, end_location=[70.0, 40.0]),
            event(2, HOME, "Pass", pass_length=20.0, pass_outcome="Incomplete", end_location=[80.0, 40.0]),
            event(3, HOME, "Carry", end_location=[63.0, 44.0]),
            event(4, HOME, "Carry", location=[50.0, 40.0], end_location=[47.0, 36.0]),
            event(5, AWAY, "Pressure", possession=HOME, location=[30.0, 20.0], freeze_frame=frame),
            event(6, AWAY, "Shot", shot_xg=0.25, location=[110.0, 40.0]),
            event(7, AWAY, "Duel", duel_outcome="Won", location=None),
            event(61, AWAY, "Pass", pass_length=5.0),
        ]
        rows = self.stats(events)
        start = int(datetime(2022, 7, 6, 21, tzinfo=timezone.utc).timestamp() * 1000)
        home, away = rows[(start, HOME)], rows[(start, AWAY)]
        self.assertNotIn("batch_id", home.asDict())
        self.assertEqual((home["side"], home["opponent_id"], home["events"], home["window_events"]), ("home", AWAY, 4, 7))
        self.assertEqual((home["passes"], home["passes_completed"], home["pass_completion_pct"]), (2, 1, 50.0))
        self.assertEqual((home["pass_length_min_yd"], home["pass_length_max_yd"], home["pass_length_mean_yd"]), (10.0, 20.0, 15.0))
        self.assertAlmostEqual(home["pass_length_var_yd2"], 25.0)
        self.assertEqual(home["carries"], 2)
        self.assertAlmostEqual(home["carry_distance_yd"], 5.0 + 5.0)
        self.assertAlmostEqual(home["progressive_carry_distance_yd"], 3.0)
        self.assertEqual((away["shots"], away["xg"], away["pressures"], away["duels"], away["duels_won"]), (1, 0.25, 1, 1, 1))
        self.assertEqual((home["possession_events"], away["possession_events"]), (5, 2))
        self.assertAlmostEqual(home["possession_share"] + away["possession_share"], 1.0)
        self.assertEqual(away["frames"], 1)
        self.assertEqual((away["visible_teammates_mean"], away["visible_opponents_mean"]), (1.0, 3.0))
        # Within 10 m of (30, 20): nobody; the frame is far away from that location.
        self.assertEqual(away["balance_10m_mean"], 0.0)
        self.assertIsNone(home["visible_teammates_mean"])
        self.assertEqual(rows[(start + 60_000, AWAY)]["passes"], 1)
        self.assertEqual(rows[(start + 60_000, HOME)]["events"], 0)
        self.assertIsNone(rows[(start + 60_000, HOME)]["pass_completion_pct"])
        self.assertEqual(away["action_x_mean"], (30.0 + 110.0) / 2)
        self.assertTrue(math.isclose(away["action_x_var"], 40.0 * 40.0))

    def test_the_balance_counts_teammates_minus_opponents_within_ten_metres(self):
        frame = [
            {"location": [60.0, 40.0], "teammate": True, "actor": True, "keeper": False},
            {"location": [60.0 + BALANCE_RADIUS_YD - 0.01, 40.0], "teammate": True, "actor": False, "keeper": False},
            {"location": [60.0, 40.0 - BALANCE_RADIUS_YD + 0.01], "teammate": False, "actor": False, "keeper": False},
            {"location": [60.0, 40.0 + BALANCE_RADIUS_YD + 0.01], "teammate": False, "actor": False, "keeper": False},
        ]
        rows = self.stats([event(1, HOME, "Pass", pass_length=1.0, freeze_frame=frame)])
        home = next(row for (_, team), row in rows.items() if team == HOME)
        self.assertEqual((home["balance_10m_mean"], home["visible_teammates_mean"], home["visible_opponents_mean"]), (1.0, 1.0, 2.0))

    def test_sliding_windows_put_an_event_in_every_window_that_covers_it(self):
        rows = self.stats([event(90, HOME)], window_minutes=2.0, slide_minutes=1.0)
        self.assertEqual(sorted({start for start, _ in rows}), [
            int(datetime(2022, 7, 6, 21, 0, tzinfo=timezone.utc).timestamp() * 1000),
            int(datetime(2022, 7, 6, 21, 1, tzinfo=timezone.utc).timestamp() * 1000),
        ])

    def stream_batches(self, values_per_batch, on_batch):
        """Streams the records through observe_intake → window stats → team rows, one micro-batch per
        element of values_per_batch (a parquet file each, one file per trigger); on_batch(batch, id) is the foreachBatch."""
        with tempfile.TemporaryDirectory() as folder:
            source, offset = os.path.join(folder, "source"), 0
            for number, values in enumerate(values_per_batch):
                rows = [(None if v is None else v.encode(), 0, offset + i, datetime(2026, 1, 1, 0, 0, number, tzinfo=timezone.utc)) for i, v in enumerate(values)]
                offset += len(values)
                frame = self.spark.createDataFrame(rows, "value binary, partition int, offset long, timestamp timestamp")
                frame.coalesce(1).write.parquet(os.path.join(source, f"batch={number}"))
            schema = "value binary, partition int, offset long, timestamp timestamp, batch int"
            records = self.spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).parquet(source)
            observed = observe_intake(parse_event_records(records, self.schema))
            windows = team_rows(window_stats(good_events(observed, self.schema, STAT_FIELDS), watermark_delay="30 days"))
            query = (
                windows.writeStream.queryName("observed_test").outputMode("update").trigger(availableNow=True)
                .option("checkpointLocation", os.path.join(folder, "checkpoint")).foreachBatch(on_batch).start()
            )
            query.awaitTermination()

    def test_the_intake_is_observed_in_the_stats_query_and_read_per_batch(self):
        summaries = {}

        def on_batch(batch, batch_id):
            rows = batch.toArrow()
            summaries[batch_id] = (rows.num_rows, intake_summary(batch_metrics(self.spark, "observed_test", INTAKE_METRICS)))

        good = json.dumps(event(1, HOME))
        self.stream_batches([[good, "oops", ""], [good, json.dumps(event(2, AWAY))]], on_batch)
        # A third batch, when there is one, is Spark's no-data batch (the watermark moved): nothing read.
        self.assertEqual(sorted(summaries)[:2], [0, 1])
        self.assertTrue(all(summaries[extra][1]["records"] == 0 for extra in sorted(summaries)[2:]))
        (first_rows, first), (second_rows, second) = summaries[0], summaries[1]
        self.assertEqual((first_rows, second_rows), (2, 2))  # both teams' rows of the window the good events update
        self.assertEqual((first["records"], first["malformed"], second["records"], second["malformed"]), (3, 2, 2, 0))
        self.assertEqual(first["kafka_timestamp_min_ms"], int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp() * 1000))
        self.assertEqual(
            sorted((letter["offset"], letter["raw"], letter["reason"]) for letter in first["dead_letters"]),
            [(1, "oops", "not JSON"), (2, "", "empty value")],
        )
        self.assertEqual(second["dead_letters"], [])

    def test_batch_metrics_outside_a_running_query_names_the_problem(self):
        with self.assertRaisesRegex(ObservedMetricsError, "no active streaming query is named 'nowhere'"):
            batch_metrics(self.spark, "nowhere", INTAKE_METRICS)

    def test_the_intake_summary_refuses_metrics_that_were_not_observed_and_files_are_replaced_per_batch(self):
        with self.assertRaisesRegex(ValueError, "lack records"):
            intake_summary({"malformed": 0})
        letters = [{"partition": 0, "offset": 4, "kafka_timestamp_ms": 1, "raw": "oops", "reason": "not JSON"},
                   {"partition": 0, "offset": 2, "kafka_timestamp_ms": 1, "raw": "", "reason": "empty value"}]
        metrics = {"records": 5, "malformed": 2, "kafka_timestamp_min_ms": 1, "kafka_timestamp_max_ms": 2, "dead_letters": letters}
        with self.assertRaisesRegex(ValueError, "count 3 malformed records but hold 2"):
            intake_summary({**metrics, "malformed": 3})
        summary = intake_summary(metrics)
        with tempfile.TemporaryDirectory() as folder:
            intake, dead = os.path.join(folder, "intake"), os.path.join(folder, "dead")
            write_intake(summary, 3, intake, dead)
            write_intake(summary, 3, intake, dead)  # a replayed batch replaces its files
            self.assertEqual(os.listdir(dead), ["batch-0000000003.arrow"])
            letters = pa.ipc.open_file(os.path.join(dead, "batch-0000000003.arrow")).read_all().to_pylist()
            self.assertEqual([(l["offset"], l["reason"]) for l in letters], [(2, "empty value"), (4, "not JSON")])
            row = pa.ipc.open_file(os.path.join(intake, "batch-0000000003.arrow")).read_all().to_pylist()[0]
            self.assertEqual((row["records"], row["good"], row["malformed"]), (5, 3, 2))

    def test_progress_lines_keep_observed_counts_but_not_their_lists(self):
        progress = {"batchId": 1, "observedMetrics": {"intake": {"records": 3, "malformed": 1, "dead_letters": [{"raw": "x" * 1000}]}}}
        self.assertEqual(without_lists(progress), {"batchId": 1, "observedMetrics": {"intake": {"records": 3, "malformed": 1}}})
        self.assertEqual(without_lists({"batchId": 2}), {"batchId": 2})

    def test_the_metric_names_are_those_of_the_side_metrics_in_order(self):
        self.assertEqual(list(METRIC_NAMES), [name for name, _ in side_metrics("home")])

    def test_with_batch_id_puts_the_batch_id_first(self):
        table = with_batch_id(pa.table({"match_id": [1, 2]}), 7)
        self.assertEqual(table.column_names, ["batch_id", "match_id"])
        self.assertEqual(table.column("batch_id").to_pylist(), [7, 7])
        self.assertEqual(table.schema.field("batch_id").type, pa.int64())

    def test_batch_files_are_named_by_batch_id(self):
        with tempfile.TemporaryDirectory() as folder:
            path = write_batch_table(pa.table({"x": [1]}), folder, 42)
            self.assertEqual(path, batch_file_path(folder, 42))
            self.assertEqual(batch_id_of(path), 42)
            self.assertIsNone(batch_id_of(".batch-0000000042.arrow.tmp-1"))


if __name__ == "__main__":
    unittest.main()
