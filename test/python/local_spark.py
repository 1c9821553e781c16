"""A unittest base class with one local SparkSession per test class (PYSPARK_PYTHON: this interpreter)."""

from __future__ import annotations

import os
import sys
import unittest
from typing import Any


class LocalSparkTestCase(unittest.TestCase):
    """cls.spark: a local[1] session with one shuffle partition and no UI, stopped after the class."""

    spark: Any = None

    @classmethod
    def setUpClass(cls) -> None:
        from pyspark.sql import SparkSession

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        cls.spark = (
            SparkSession.builder.master("local[1]").appName(cls.__name__).config("spark.sql.shuffle.partitions", "1")
            .config("spark.ui.enabled", "false").getOrCreate()
        )

    @classmethod
    def tearDownClass(cls) -> None:
        if cls.spark is not None:
            cls.spark.stop()
