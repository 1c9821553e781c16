"""Metrics of three-way (home win / draw / away win) probability forecasts, in numpy.

Independent from Spark's evaluators: they run on the collected test predictions (small). Every
function takes ``probabilities`` of shape (n, 3) in the ordinal order of OUTCOMES (home win,
draw, away win) and integer ``labels`` in {0, 1, 2}.

* accuracy and weighted precision / recall / F1 (support-weighted over the classes);
* log loss: mean of -ln p[label], with p clipped at 1e-15;
* multiclass Brier score: mean over states of sum over classes of (p_k - y_k)^2 (0 to 2);
* ranked probability score: mean over states of 1/(K-1) * sum_{k<K} (P_k - Y_k)^2 with P, Y the
  cumulative forecast and outcome (0 to 1; it rewards putting mass near the true outcome);
* expected calibration error (classwise): for each class, states binned by the forecast
  probability of that class into ``bins`` equal-width bins, sum over bins of
  (bin share) * |mean forecast - observed frequency|; the mean over the three classes;
* bootstrap confidence intervals that resample whole matches (states of one match are not
  independent).
"""

from __future__ import annotations

from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

NUM_CLASSES = 3
PROBABILITY_FLOOR = 1e-15


def _check(probabilities: np.ndarray, labels: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(labels, dtype=int)
    if p.ndim != 2 or p.shape[1] != NUM_CLASSES:
        raise ValueError(f"probabilities must have shape (n, {NUM_CLASSES}), got {p.shape}")
    if y.shape != (p.shape[0],):
        raise ValueError(f"labels must have shape ({p.shape[0]},), got {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= NUM_CLASSES):
        raise ValueError(f"labels must be in 0..{NUM_CLASSES - 1}, got {sorted(set(y.tolist()))}")
    return p, y


def one_hot(labels: np.ndarray) -> np.ndarray:
    y = np.asarray(labels, dtype=int)
    out = np.zeros((y.size, NUM_CLASSES))
    out[np.arange(y.size), y] = 1.0
    return out


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    p, y = _check(probabilities, labels)
    return float(np.mean(np.argmax(p, axis=1) == y))


def weighted_precision_recall_f1(probabilities: np.ndarray, labels: np.ndarray) -> Tuple[float, float, float]:
    """Support-weighted precision, recall and F1 of the arg-max prediction (a class never predicted has precision 0)."""
    p, y = _check(probabilities, labels)
    predicted = np.argmax(p, axis=1)
    precision = recall = f1 = 0.0
    for k in range(NUM_CLASSES):
        support = np.sum(y == k)
        if support == 0:
            continue
        true_positive = np.sum((predicted == k) & (y == k))
        predicted_k = np.sum(predicted == k)
        class_precision = true_positive / predicted_k if predicted_k else 0.0
        class_recall = true_positive / support
        class_f1 = 2 * class_precision * class_recall / (class_precision + class_recall) if (class_precision + class_recall) else 0.0
        weight = support / y.size
        precision += weight * class_precision
        recall += weight * class_recall
        f1 += weight * class_f1
    return float(precision), float(recall), float(f1)


def log_loss(probabilities: np.ndarray, labels: np.ndarray) -> float:
    p, y = _check(probabilities, labels)
    return float(-np.mean(np.log(np.clip(p[np.arange(y.size), y], PROBABILITY_FLOOR, 1.0))))


def brier_score(probabilities: np.ndarray, labels: np.ndarray) -> float:
    p, y = _check(probabilities, labels)
    return float(np.mean(np.sum((p - one_hot(y)) ** 2, axis=1)))


def rps_per_state(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    p, y = _check(probabilities, labels)
    cumulative = np.cumsum(p, axis=1)[:, : NUM_CLASSES - 1]
    observed = np.cumsum(one_hot(y), axis=1)[:, : NUM_CLASSES - 1]
    return np.sum((cumulative - observed) ** 2, axis=1) / (NUM_CLASSES - 1)


def ranked_probability_score(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(rps_per_state(probabilities, labels)))


def calibration_table(probabilities: np.ndarray, labels: np.ndarray, bins: int = 10) -> List[Dict[str, float]]:
    """Per class and bin: bin edges, states, mean forecast, observed frequency (empty bins left out)."""
    p, y = _check(probabilities, labels)
    rows: List[Dict[str, float]] = []
    edges = np.linspace(0.0, 1.0, bins + 1)
    for k in range(NUM_CLASSES):
        forecast = p[:, k]
        observed = (y == k).astype(float)
        # Bin b holds [edge_b, edge_b+1); the last bin also holds 1.0.
        index = np.minimum((forecast * bins).astype(int), bins - 1)
        for b in range(bins):
            mask = index == b
            count = int(mask.sum())
            if count == 0:
                continue
            rows.append(
                {
                    "class_index": k,
                    "bin": b,
                    "bin_low": float(edges[b]),
                    "bin_high": float(edges[b + 1]),
                    "states": count,
                    "mean_forecast": float(forecast[mask].mean()),
                    "observed_frequency": float(observed[mask].mean()),
                }
            )
    return rows


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Classwise ECE (module docstring); 0 for a perfectly calibrated forecast."""
    p, y = _check(probabilities, labels)
    if y.size == 0:
        return float("nan")
    total = 0.0
    for row in calibration_table(p, y, bins):
        total += row["states"] / y.size * abs(row["mean_forecast"] - row["observed_frequency"])
    return float(total / NUM_CLASSES)


def all_metrics(probabilities: np.ndarray, labels: np.ndarray) -> Dict[str, float]:
    precision, recall, f1 = weighted_precision_recall_f1(probabilities, labels)
    return {
        "accuracy": accuracy(probabilities, labels),
        "precision_weighted": precision,
        "recall_weighted": recall,
        "f1_weighted": f1,
        "log_loss": log_loss(probabilities, labels),
        "brier": brier_score(probabilities, labels),
        "rps": ranked_probability_score(probabilities, labels),
        "ece": expected_calibration_error(probabilities, labels),
    }


MetricFunction = Callable[[np.ndarray, np.ndarray], float]


def bootstrap_by_match(
    match_ids: np.ndarray,
    statistic: Callable[[np.ndarray], Mapping[str, float]],
    samples: int = 200,
    seed: int = 7,
    level: float = 0.95,
) -> Dict[str, Tuple[float, float]]:
    """Percentile intervals of statistic(row indices) over resamples of whole matches with replacement.

    `statistic` receives the row indices of one resample (rows of a match drawn twice appear twice)
    and returns named values; the result maps each name to (low, high).
    """
    ids = np.asarray(match_ids)
    unique, inverse = np.unique(ids, return_inverse=True)
    rows_of = [np.flatnonzero(inverse == m) for m in range(unique.size)]
    random = np.random.default_rng(seed)
    draws: Dict[str, List[float]] = {}
    for _ in range(samples):
        chosen = random.integers(0, unique.size, unique.size)
        indices = np.concatenate([rows_of[m] for m in chosen])
        for name, value in statistic(indices).items():
            draws.setdefault(name, []).append(value)
    alpha = (1.0 - level) / 2.0
    return {name: (float(np.quantile(values, alpha)), float(np.quantile(values, 1.0 - alpha))) for name, values in draws.items()}


def minute_bucket(minute: np.ndarray, width: int = 15, last: int = 90) -> np.ndarray:
    """Bucket labels '0-15', '15-30', …, '75-90', '90+' of match minutes."""
    minutes = np.asarray(minute, dtype=float)
    labels = np.empty(minutes.shape, dtype=object)
    for start in range(0, last, width):
        labels[(minutes >= start) & (minutes < start + width)] = f"{start}-{start + width}"
    labels[minutes >= last] = f"{last}+"
    return labels


def per_group_rps(probabilities: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> Dict[str, Tuple[float, int]]:
    """Mean RPS and state count per group value."""
    scores = rps_per_state(probabilities, labels)
    groups = np.asarray(groups)
    return {str(g): (float(scores[groups == g].mean()), int((groups == g).sum())) for g in _ordered_unique(groups)}


def _ordered_unique(values: np.ndarray) -> Sequence:
    seen: Dict = {}
    for value in values.tolist():
        seen.setdefault(value, None)
    return list(seen)


def class_prior(labels: np.ndarray, smoothing: float = 1.0) -> np.ndarray:
    """Class frequencies of the training labels (Laplace-smoothed), the class-prior reference forecast."""
    y = np.asarray(labels, dtype=int)
    counts = np.bincount(y, minlength=NUM_CLASSES).astype(float) + smoothing
    return counts / counts.sum()


def normalise_rows(probabilities: np.ndarray, floor: Optional[float] = None) -> np.ndarray:
    p = np.asarray(probabilities, dtype=float)
    if floor is not None:
        p = np.maximum(p, floor)
    return p / p.sum(axis=1, keepdims=True)
