"""Pure transforms of pitchstream_jobs.kafka_messages on tiny frames (one local SparkSession).

Run: PYTHONPATH=jobs .pitchstream/venv/bin/python -m unittest discover -s test/python -v
(pytest runs the same file when it is installed).
"""

from __future__ import annotations

import unittest

from pyspark.errors import NumberFormatException
from pyspark.sql import SparkSession
from pyspark.testing import assertDataFrameEqual

from pitchstream_jobs.kafka_messages import decode_integer_messages, summarize_values

KAFKA_SCHEMA = "key binary, value binary, topic string, partition int, offset long"


class KafkaMessagesTest(unittest.TestCase):
    spark: SparkSession

    @classmethod
    def setUpClass(cls) -> None:
        cls.spark = (
            SparkSession.builder.master("local[1]")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls.spark.stop()

    def records(self, rows):
        return self.spark.createDataFrame(
            [(key.encode(), value.encode(), "t", partition, offset) for key, value, partition, offset in rows],
            KAFKA_SCHEMA,
        )

    def test_decodes_keys_and_integer_values_sorted_by_value(self) -> None:
        decoded = decode_integer_messages(self.records([("b", "20", 1, 7), ("a", " 3 ", 0, 4), ("c", "-5", 0, 5)]))
        expected = self.spark.createDataFrame(
            [(0, 5, "c", -5), (0, 4, "a", 3), (1, 7, "b", 20)],
            "partition int, offset long, key string, value long",
        )
        assertDataFrameEqual(decoded, expected, checkRowOrder=True)

    def test_fails_loudly_on_a_value_that_is_not_an_integer(self) -> None:
        with self.assertRaises(NumberFormatException):
            decode_integer_messages(self.records([("a", "twelve", 0, 0)])).collect()

    def test_summarizes_count_and_sum_and_gives_zero_for_no_messages(self) -> None:
        decoded = decode_integer_messages(self.records([("a", "1", 0, 0), ("b", "41", 0, 1)]))
        self.assertEqual(summarize_values(decoded).first().asDict(), {"count": 2, "sum": 42})
        empty = decode_integer_messages(self.records([]))
        self.assertEqual(summarize_values(empty).first().asDict(), {"count": 0, "sum": 0})


if __name__ == "__main__":
    unittest.main()
