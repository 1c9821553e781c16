"""Trains the live win-probability (LWP) model: normalized events → game states → Spark ML → evaluated model.

Reads the normalized events (gzip NDJSON in the event contract's shape, read with the contract's
schema, never inferred) and the matches table that lib/training writes, computes the game states
with the feature module (pitchstream_jobs.features), splits by match (by season where there are
enough seasons; never by row), fits the saved model — one Random Forest per side for the goals it
scores from the state to the final whistle, man-advantage factors for red cards, and the Poisson
outcome stage that turns the score and the goals to come into P(home win / draw / away win) —
optionally with a probability calibrator fitted on held-out training matches (--calibration
logistic), fits three references (a forest that classifies the result directly from the same
features; the class prior; a score-and-time multinomial logistic regression) on the same
training matches, evaluates them all on the same test matches with numpy metrics, match bootstrap
intervals and the viewer's properties (pitchstream_jobs.viewer_properties), and writes:

* --model-dir: the PipelineModel (features → forests → man advantage → outcome [→ calibrator] → `probability`), with metadata.json;
* --output-dir: metrics.arrow, feature_importance.arrow, calibration.arrow, per_minute.arrow,
  per_bucket.arrow, predictions.arrow, split.arrow and report.json (timings, counts, metrics).

Usage (submitJob builds the spark-submit line):

    .pitchstream/venv/bin/spark-submit --master 'local[2]' --properties-file <merged conf> \\
        --py-files .pitchstream/cache/pitchstream_jobs-<hash>.zip jobs/train_lwp.py \\
        --events RUN/input/events --matches RUN/input/matches.ndjson \\
        --model-dir models/lwp_model --output-dir RUN/training [--num-trees 100 --max-depth 8 …]
        [--calibration logistic|none --calibration-fraction 0.2]

From TypeScript: trainLwp({...}) in lib/training.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
import urllib.request
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyspark
from pyspark import StorageLevel
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import LogisticRegression, RandomForestClassifier
from pyspark.ml.regression import RandomForestRegressionModel
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.functions import vector_to_array
from pyspark.sql import functions as F

from pitchstream_jobs import viewer_properties
from pitchstream_jobs import win_probability_metrics as wpm
from pitchstream_jobs.arrow_io import write_arrow_ipc, write_json
from pitchstream_jobs.contract import event_schema
from pitchstream_jobs.features import EVENT_FIELDS, FEATURE_NAMES, FEATURE_SET_VERSION, FEATURES, OUTCOMES, SCORE_TIME_FEATURES
from pitchstream_jobs.lwp_training import (
    EXPECTED_GOALS_TO_COME,
    FOREST_FEATURES,
    calibrator_pipeline,
    check_split,
    choose_split,
    game_states_frame,
    hold_out_calibration,
    label_states,
    man_advantage_factors,
    man_advantage_stage,
    outcome_stages,
    read_matches,
    remaining_goals_forests,
)
from pitchstream_jobs.runtime import JobArgumentParser, job_session, run

#: random_forest is the saved model: two remaining-goals forests and the Poisson outcome stage (calibrated
#: unless --calibration none); random_forest_uncalibrated is the same model before the calibrator;
#: outcome_classifier is a forest that learns the result directly (the saved model up to
#: lwp-features-2), kept as a reference on the same test matches.
MODELS = ("random_forest", "random_forest_uncalibrated", "outcome_classifier", "score_time_logistic", "class_prior")
REFERENCES = ("outcome_classifier", "score_time_logistic", "class_prior", "random_forest_uncalibrated")
CALIBRATIONS = ("logistic", "none")
FINAL_MINUTES_FROM = 80  # "final 10 minutes": states of period 2 from minute 80 on (stoppage time included)


def parse_arguments(argv: Sequence[str]):
    parser = JobArgumentParser(__doc__)
    parser.add_argument("--events", required=True, help="folder of gzip NDJSON event files (event contract)")
    parser.add_argument("--matches", required=True, help="NDJSON matches table with final scores")
    parser.add_argument("--model-dir", required=True, help="where to save the PipelineModel (replaced)")
    parser.add_argument("--output-dir", required=True, help="where to write the Arrow reports and report.json")
    parser.add_argument("--schema", help="event contract JSON Schema (default: contracts/event.schema.json)")
    parser.add_argument("--split", default="auto", choices=["auto", "season", "match"])
    parser.add_argument("--test-fraction", type=float, default=0.25)
    parser.add_argument("--test-seasons", type=int, help="number of latest seasons held out (split by season)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--num-trees", type=int, default=100)
    parser.add_argument("--max-depth", type=int, default=8)
    parser.add_argument("--min-instances-per-node", type=int, default=100)
    parser.add_argument("--feature-subset-strategy", default="onethird")
    parser.add_argument("--subsampling-rate", type=float, default=1.0)
    parser.add_argument("--lr-reg-param", type=float, default=0.0)
    parser.add_argument("--calibration", default="none", choices=list(CALIBRATIONS),
                        help="logistic: a multinomial logistic calibrator on the forest's probabilities and the match time; none: the forest alone")
    parser.add_argument("--calibration-fraction", type=float, default=0.2,
                        help="share of the training matches held out to fit the calibrator (whole matches; ignored with --calibration none)")
    parser.add_argument("--min-calibration-matches", type=int, default=20,
                        help="fewer held-out calibration matches than this: no calibrator, the forest keeps every training match")
    parser.add_argument("--calibration-reg-param", type=float, default=0.01, help="L2 regularization of the logistic calibrator")
    parser.add_argument("--bootstrap-samples", type=int, default=200)
    parser.add_argument("--prepare-seconds", type=float, default=0.0, help="time lib spent writing the events (part of load)")
    parser.add_argument("--data-label", default="", help="free text describing the data (competitions, seasons) for metadata.json")
    return parser.parse_args(argv)


def probability_columns(prefix: str, column: str = "probability"):
    array = vector_to_array(F.col(column))
    return [array[k].alias(f"{prefix}_{outcome}") for k, outcome in enumerate(OUTCOMES)]


def forest_parameters(args) -> Dict[str, Any]:
    return {
        "numTrees": args.num_trees,
        "maxDepth": args.max_depth,
        "minInstancesPerNode": args.min_instances_per_node,
        "featureSubsetStrategy": args.feature_subset_strategy,
        "subsamplingRate": args.subsampling_rate,
        "seed": args.seed,
    }


def outcome_classifier(args) -> Pipeline:
    """The reference forest that learns the result (0 home win, 1 draw, 2 away win) from the same features."""
    return Pipeline(
        stages=[
            VectorAssembler(inputCols=list(FEATURE_NAMES), outputCol="features"),
            RandomForestClassifier(labelCol="label", featuresCol="features", **forest_parameters(args)),
        ]
    )


def feature_importance(model: PipelineModel) -> pd.DataFrame:
    """The mean of the remaining-goals forests' importances (each sums to 1, so the mean does too).

    The red-card features act through the man-advantage factors, not the forests: they are listed
    with importance 0 (the report's man_advantage says what they do).
    """
    forests = [stage for stage in model.stages if isinstance(stage, RandomForestRegressionModel)]
    mean = np.mean([forest.featureImportances.toArray() for forest in forests], axis=0)
    by_name = dict(zip(FOREST_FEATURES, mean.tolist()))
    return pd.DataFrame(
        {
            "feature": list(FEATURE_NAMES),
            "importance": [float(by_name.get(name, 0.0)) for name in FEATURE_NAMES],
            "description": [description for _, description in FEATURES],
        }
    ).sort_values("importance", ascending=False)


def metrics_rows(predictions: pd.DataFrame, samples: int, seed: int) -> List[Dict[str, Any]]:
    labels = predictions["label"].to_numpy(dtype=int)
    matches = predictions["match_id"].to_numpy()
    minutes = predictions["minute"].to_numpy()
    periods = predictions["period"].to_numpy()
    final = (periods == 2) & (minutes >= FINAL_MINUTES_FROM)
    probs = {model: model_probabilities(predictions, model) for model in MODELS}
    rows: List[Dict[str, Any]] = []

    def statistic(indices: np.ndarray) -> Dict[str, float]:
        out: Dict[str, float] = {}
        y = labels[indices]
        for model in MODELS:
            p = probs[model][indices]
            for name, value in wpm.all_metrics(p, y).items():
                out[f"{model}.{name}"] = value
            fin = final[indices]
            out[f"{model}.ece_final_10min"] = wpm.expected_calibration_error(p[fin], y[fin]) if fin.any() else float("nan")
        for reference in REFERENCES:
            out[f"random_forest.rps_improvement_vs_{reference}"] = out[f"{reference}.rps"] - out["random_forest.rps"]
        for metric in ("ece", "ece_final_10min", "log_loss"):
            out[f"random_forest.{metric}_improvement_vs_random_forest_uncalibrated"] = out[f"random_forest_uncalibrated.{metric}"] - out[f"random_forest.{metric}"]
        return out

    point = statistic(np.arange(labels.size))
    intervals = wpm.bootstrap_by_match(matches, statistic, samples=samples, seed=seed) if samples > 0 else {}
    for key, value in point.items():
        model, metric = key.split(".", 1)
        low, high = intervals.get(key, (float("nan"), float("nan")))
        rows.append({"model": model, "metric": metric, "value": float(value), "ci_low": low, "ci_high": high})
    return rows


def model_probabilities(predictions: pd.DataFrame, model: str) -> np.ndarray:
    return predictions[[f"{model}_{outcome}" for outcome in OUTCOMES]].to_numpy(dtype=float)


def rps_by_minute(predictions: pd.DataFrame) -> pd.DataFrame:
    minute_states = predictions[predictions["trigger"] == "minute"]
    rows = []
    labels = minute_states["label"].to_numpy(dtype=int)
    for model in MODELS:
        scores = wpm.rps_per_state(model_probabilities(minute_states, model), labels)
        frame = pd.DataFrame({"period": minute_states["period"].to_numpy(), "minute": minute_states["minute"].to_numpy(), "rps": scores})
        grouped = frame.groupby(["period", "minute"]).agg(rps=("rps", "mean"), states=("rps", "size")).reset_index()
        grouped.insert(0, "model", model)
        rows.append(grouped)
    out = pd.concat(rows, ignore_index=True)
    out["period"] = out["period"].astype("int32")
    out["minute"] = out["minute"].astype("int32")
    out["states"] = out["states"].astype("int32")
    return out


def rps_by_bucket(predictions: pd.DataFrame, samples: int, seed: int) -> pd.DataFrame:
    labels = predictions["label"].to_numpy(dtype=int)
    buckets = wpm.minute_bucket(predictions["minute"].to_numpy())
    matches = predictions["match_id"].to_numpy()
    rows = []
    for model in MODELS:
        p = model_probabilities(predictions, model)
        scores = wpm.rps_per_state(p, labels)
        for bucket in sorted(set(buckets.tolist()), key=lambda b: float(b.rstrip("+").split("-")[0])):
            mask = buckets == bucket
            sub_scores, sub_matches = scores[mask], matches[mask]
            ci = wpm.bootstrap_by_match(sub_matches, lambda idx: {"rps": float(sub_scores[idx].mean())}, samples=samples, seed=seed) if samples else {}
            low, high = ci.get("rps", (float("nan"), float("nan")))
            rows.append({"model": model, "bucket": bucket, "rps": float(sub_scores.mean()), "states": int(mask.sum()), "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def calibration_frame(predictions: pd.DataFrame) -> pd.DataFrame:
    labels = predictions["label"].to_numpy(dtype=int)
    rows = []
    for model in MODELS:
        for row in wpm.calibration_table(model_probabilities(predictions, model), labels):
            rows.append({"model": model, "outcome": OUTCOMES[row["class_index"]], **row})
    frame = pd.DataFrame(rows)
    return frame.astype({"class_index": "int32", "bin": "int32", "states": "int32"})


def executor_peaks(spark) -> List[Dict[str, Any]]:
    """Peak JVM memory of the driver and executors, from this application's own REST API (best effort)."""
    context = spark.sparkContext
    if not context.uiWebUrl:
        return []
    url = f"{context.uiWebUrl}/api/v1/applications/{context.applicationId}/allexecutors"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            executors = json.load(response)
    except Exception:  # noqa: BLE001 - the report says "not measured" rather than failing the training
        return []
    peaks = []
    for executor in executors:
        metrics = executor.get("peakMemoryMetrics") or {}
        peaks.append(
            {
                "id": executor.get("id"),
                "cores": executor.get("totalCores"),
                "max_memory_bytes": executor.get("maxMemory"),
                "peak_jvm_heap_bytes": metrics.get("JVMHeapMemory"),
                "peak_jvm_off_heap_bytes": metrics.get("JVMOffHeapMemory"),
                "peak_process_tree_python_rss_bytes": metrics.get("ProcessTreePythonRSSMemory"),
                "peak_process_tree_jvm_rss_bytes": metrics.get("ProcessTreeJVMRSSMemory"),
            }
        )
    return peaks


def main(argv: Sequence[str]) -> None:
    args = parse_arguments(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    with job_session(args) as job:
        spark = job.spark
        timings: Dict[str, float] = {}

        # -- load: the normalized events, parsed with the contract's schema, held in memory -------
        started = time.perf_counter()
        events = spark.read.schema(event_schema(args.schema)).json(args.events)
        events = events.select("match_id", "home_team_id", "away_team_id", *EVENT_FIELDS).persist(StorageLevel.MEMORY_AND_DISK)
        event_count = events.count()
        matches_pd = read_matches(spark, args.matches).toPandas()
        timings["load_spark_s"] = time.perf_counter() - started
        timings["load_prepare_s"] = args.prepare_seconds
        timings["load_s"] = timings["load_spark_s"] + args.prepare_seconds

        # -- features: game states through the feature module, labelled ---------------------------
        started = time.perf_counter()
        matches = spark.createDataFrame(matches_pd)
        states = label_states(game_states_frame(events), matches).persist(StorageLevel.MEMORY_AND_DISK)
        state_count = states.count()
        events.unpersist()
        calibrated = args.calibration != "none"
        calibration_skipped: Optional[str] = None
        split, split_used = choose_split(matches_pd, args.split, args.test_fraction, args.test_seasons, args.seed)
        if calibrated:
            held_out = hold_out_calibration(split, args.calibration_fraction, args.seed)
            held = int((held_out["set"] == "calibration").sum())
            # A calibrator fitted on a handful of matches makes the forest worse (measured: 9 matches
            # raised RPS 0.141 → 0.166), so small data sets keep every match for the forest instead.
            # (None at all is an error check_split names: the training set is too small to split.)
            if 0 < held < args.min_calibration_matches:
                calibrated = False
                calibration_skipped = (
                    f"only {held} calibration matches (fewer than --min-calibration-matches {args.min_calibration_matches}): the forest is saved uncalibrated"
                )
            else:
                split = held_out
        counts = check_split(split, calibration=calibrated)
        split_sdf = spark.createDataFrame(split[["match_id", "set"]])
        states = states.join(F.broadcast(split_sdf), "match_id")
        # train: the forest's matches; calibration: training matches held out for the calibrator;
        # the references (and the class prior) learn from both, as the calibrated model does.
        train = states.where(F.col("set").isin("train", "calibration")).persist(StorageLevel.MEMORY_AND_DISK)
        forest_train = train.where(F.col("set") == "train")
        calibration_set = train.where(F.col("set") == "calibration")
        test = states.where(F.col("set") == "test").persist(StorageLevel.MEMORY_AND_DISK)
        train_states, test_states = train.count(), test.count()
        calibration_states = calibration_set.count() if calibrated else 0
        timings["features_s"] = time.perf_counter() - started

        # -- fit: the forest, its calibrator on held-out matches, the score-and-time reference -----
        started = time.perf_counter()
        # The saved model: the remaining-goals forests, the man-advantage factors measured on the
        # forests' training states, the Poisson outcome stage (see lwp_training.outcome_stages for why).
        forests = remaining_goals_forests(forest_parameters(args)).fit(forest_train)
        man_advantage = man_advantage_factors(forests.transform(forest_train))
        forest_model = PipelineModel(
            stages=[*forests.stages, man_advantage_stage(man_advantage), *outcome_stages("forest_probability" if calibrated else "probability")]
        )
        if calibrated:
            # The calibrator learns from the forest's probabilities for matches the forest never saw.
            forest_scores = forest_model.transform(calibration_set).select("label", "minute", "forest_probability").persist(StorageLevel.MEMORY_AND_DISK)
            calibrator = calibrator_pipeline(args.calibration_reg_param).fit(forest_scores)
            forest_scores.unpersist()
            model = PipelineModel(stages=[*forest_model.stages, *calibrator.stages])
        else:
            model = forest_model
        reference = Pipeline(
            stages=[
                VectorAssembler(inputCols=list(SCORE_TIME_FEATURES), outputCol="features"),
                LogisticRegression(labelCol="label", featuresCol="features", family="multinomial", regParam=args.lr_reg_param, maxIter=200),
            ]
        ).fit(train)
        classifier = outcome_classifier(args).fit(forest_train)
        label_counts = {int(row["label"]): int(row["count"]) for row in train.groupBy("label").count().collect()}
        prior = wpm.class_prior(np.repeat(np.arange(3), [label_counts.get(k, 0) for k in range(3)]))
        timings["fit_s"] = time.perf_counter() - started

        # -- evaluate: predictions of the three on the test matches, metrics in numpy --------------
        started = time.perf_counter()
        keys = ["match_id", "state_index", "trigger", "period", "minute", "home_goals", "away_goals", "goal_diff", "home_red_cards", "away_red_cards", "label"]
        uncalibrated_column = "forest_probability" if calibrated else "probability"
        forest_pred = model.transform(test).select(
            *keys, *EXPECTED_GOALS_TO_COME, *probability_columns("random_forest"), *probability_columns("random_forest_uncalibrated", uncalibrated_column)
        )
        reference_pred = reference.transform(test).select("match_id", "state_index", *probability_columns("score_time_logistic"))
        classifier_pred = classifier.transform(test).select("match_id", "state_index", *probability_columns("outcome_classifier"))
        predictions = forest_pred.join(reference_pred, ["match_id", "state_index"]).join(classifier_pred, ["match_id", "state_index"]).toPandas()
        predictions = predictions.sort_values(["match_id", "state_index"]).reset_index(drop=True)
        for k, outcome in enumerate(OUTCOMES):
            predictions[f"class_prior_{outcome}"] = prior[k]
        metrics = pd.DataFrame(metrics_rows(predictions, args.bootstrap_samples, args.seed))
        per_minute = rps_by_minute(predictions)
        per_bucket = rps_by_bucket(predictions, min(args.bootstrap_samples, 100), args.seed)
        calibration = calibration_frame(predictions)
        importance = feature_importance(model)
        rps_0_90 = {
            m: float(per_minute[(per_minute["model"] == m) & (per_minute["minute"] <= 90)]["rps"].mean()) for m in MODELS
        }
        # What a viewer takes for granted (a goal never lowers the scorer's chances, …), on the saved model's test states.
        viewer_checks = viewer_properties.property_report(
            predictions.rename(columns={f"random_forest_{outcome}": f"p_{outcome}" for outcome in OUTCOMES}).to_dict("records")
        )
        # The same checks on every model's test probabilities: what the choice of the saved model buys.
        viewer_violations_by_model = {
            name: viewer_properties.property_report(
                predictions.rename(columns={f"{name}_{outcome}": f"p_{outcome}" for outcome in OUTCOMES}).to_dict("records")
            )["violations"]
            for name in MODELS
        }
        timings["evaluate_s"] = time.perf_counter() - started

        # -- outputs ---------------------------------------------------------------------------------
        started = time.perf_counter()
        out = args.output_dir
        write_arrow_ipc(pa.Table.from_pandas(metrics, preserve_index=False), os.path.join(out, "metrics.arrow"))
        write_arrow_ipc(pa.Table.from_pandas(importance, preserve_index=False), os.path.join(out, "feature_importance.arrow"))
        write_arrow_ipc(pa.Table.from_pandas(calibration, preserve_index=False), os.path.join(out, "calibration.arrow"))
        write_arrow_ipc(pa.Table.from_pandas(per_minute, preserve_index=False), os.path.join(out, "per_minute.arrow"))
        write_arrow_ipc(pa.Table.from_pandas(per_bucket, preserve_index=False), os.path.join(out, "per_bucket.arrow"))
        predictions_out = predictions.astype({"match_id": "int64", "state_index": "int32", "label": "int32"})
        write_arrow_ipc(pa.Table.from_pandas(predictions_out, preserve_index=False), os.path.join(out, "predictions.arrow"))
        write_arrow_ipc(pa.Table.from_pandas(split.astype({"match_id": "int64", "season_id": "int32"}), preserve_index=False), os.path.join(out, "split.arrow"))

        value = lambda model_name, metric: float(metrics[(metrics["model"] == model_name) & (metrics["metric"] == metric)]["value"].iloc[0])  # noqa: E731
        synthetic = bool(matches_pd["synthetic"].all())
        seasons = (
            matches_pd.groupby(["season_id", "season_name"]).size().reset_index(name="matches").sort_values("season_name").to_dict("records")
        )
        data = {
            "kind": "synthetic" if synthetic else "statsbomb",
            "synthetic": synthetic,
            "description": args.data_label,
            "competition_ids": sorted(int(c) for c in matches_pd["competition_id"].unique()),
            "seasons": [{"season_id": int(s["season_id"]), "season_name": s["season_name"], "matches": int(s["matches"])} for s in seasons],
            "matches": int(len(matches_pd)),
            # train_matches: every training match (the forest's and the calibrator's); forest_train_matches: the forest's own.
            "train_matches": counts["train"] + counts.get("calibration", 0),
            "forest_train_matches": counts["train"],
            "calibration_matches": counts.get("calibration", 0),
            "test_matches": counts["test"],
            "test_seasons": sorted(split[split["set"] == "test"]["season_name"].unique().tolist()),
            "events": int(event_count),
            "states": int(state_count),
            "train_states": int(train_states),
            "calibration_states": int(calibration_states),
            "test_states": int(test_states),
        }
        summary = {
            model_name: {
                metric: value(model_name, metric)
                for metric in ("accuracy", "precision_weighted", "recall_weighted", "f1_weighted", "log_loss", "brier", "rps", "ece", "ece_final_10min")
            }
            for model_name in MODELS
        }
        for model_name in MODELS:
            summary[model_name]["rps_minutes_0_90"] = rps_0_90[model_name]
        for reference in REFERENCES:
            summary["random_forest"][f"rps_improvement_vs_{reference}"] = value("random_forest", f"rps_improvement_vs_{reference}")
        calibration_info = {
            "method": args.calibration if calibrated else "none",
            "requested": args.calibration,
            "skipped_reason": calibration_skipped,
            "inputs": ["forest_probability", "forest_probability * minute / 90", "forest_probability * (minute / 90)^2", "minute / 90"] if calibrated else [],
            "fraction": args.calibration_fraction if calibrated else 0.0,
            "reg_param": args.calibration_reg_param if calibrated else None,
            "matches": counts.get("calibration", 0),
            "states": int(calibration_states),
        }
        hyper_parameters = {
            "num_trees": args.num_trees,
            "max_depth": args.max_depth,
            "min_instances_per_node": args.min_instances_per_node,
            "feature_subset_strategy": args.feature_subset_strategy,
            "subsampling_rate": args.subsampling_rate,
            "lr_reg_param": args.lr_reg_param,
            "seed": args.seed,
        }
        created_at = dt.datetime.now(dt.timezone.utc).isoformat()
        if os.path.exists(args.model_dir):
            shutil.rmtree(args.model_dir)
        model.write().overwrite().save(args.model_dir)
        metadata = {
            # goals_to_come_forests: the remaining-goals forests + man advantage + Poisson outcome (lwp_training.outcome_stages).
            "model": "goals_to_come_forests",
            "man_advantage": man_advantage,
            "feature_set_version": FEATURE_SET_VERSION,
            "features": [{"name": name, "description": description} for name, description in FEATURES],
            "outcomes": list(OUTCOMES),
            "label": "final result: 0 home win, 1 draw, 2 away win",
            "spark_version": pyspark.__version__,
            "spark_master": spark.sparkContext.master,
            "data": data,
            "split": {"mode": split_used, "test_fraction": args.test_fraction, "seed": args.seed},
            "calibration": calibration_info,
            "stages": [type(stage).__name__ for stage in model.stages],
            "hyper_parameters": hyper_parameters,
            "metrics": summary,
            "created_at": created_at,
        }
        write_json(metadata, os.path.join(args.model_dir, "metadata.json"))
        timings["write_s"] = time.perf_counter() - started
        write_json(
            {
                "app_id": spark.sparkContext.applicationId,
                "master": spark.sparkContext.master,
                "default_parallelism": spark.sparkContext.defaultParallelism,
                "model_dir": os.path.abspath(args.model_dir),
                "feature_set_version": FEATURE_SET_VERSION,
                "data": data,
                "split": metadata["split"],
                "calibration": calibration_info,
                "hyper_parameters": hyper_parameters,
                "metrics": summary,
                "viewer_properties": viewer_checks,
                "viewer_violations_by_model": viewer_violations_by_model,
                "man_advantage": man_advantage,
                "timings": timings,
                "executors": executor_peaks(spark),
                "created_at": created_at,
            },
            os.path.join(out, "report.json"),
        )


if __name__ == "__main__":
    run(main)
