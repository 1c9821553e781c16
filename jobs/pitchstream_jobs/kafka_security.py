"""How a job's Kafka source reaches a secured cluster (TLS, SASL).

pitchstream's configuration (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*) is turned into Spark
Kafka source options in one place, lib/kafka/security.ts (sparkKafkaOptions); submitJob hands them to
the job in the environment variable below, never on the command line (the password would show in the
process list and the job's log). Certificates travel as PEM text in the options, so executors on other
machines need no file. The values are secrets: never log them.
"""

from __future__ import annotations

import json
import os
from typing import Dict, Mapping, Optional

KAFKA_OPTIONS_VARIABLE = "PITCHSTREAM_KAFKA_OPTIONS"


def kafka_security_options(environ: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The kafka.* options submitJob passed (empty for a plaintext cluster)."""
    raw = (os.environ if environ is None else environ).get(KAFKA_OPTIONS_VARIABLE, "")
    if not raw:
        return {}
    try:
        options = json.loads(raw)
    except ValueError as error:
        raise ValueError(f"{KAFKA_OPTIONS_VARIABLE} is not JSON ({error.msg}); submitJob writes it, do not set it by hand") from None
    if not isinstance(options, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in options.items()):
        raise ValueError(f"{KAFKA_OPTIONS_VARIABLE} must be a JSON object of strings")
    wrong = sorted(key for key in options if not key.startswith("kafka."))
    if wrong:
        raise ValueError(f"{KAFKA_OPTIONS_VARIABLE} holds options that are not Kafka client settings: {', '.join(wrong)}")
    return options


def describe_kafka_security(options: Mapping[str, str]) -> str:
    """The options as one line for the log: protocol and mechanism only, never credentials or keys."""
    if not options:
        return "PLAINTEXT"
    parts = [options.get("kafka.security.protocol", "PLAINTEXT")]
    if "kafka.sasl.mechanism" in options:
        parts.append(options["kafka.sasl.mechanism"])
    if "kafka.ssl.truststore.certificates" in options:
        parts.append("CA from the configuration")
    return ", ".join(parts)
