"""The event contract on the Spark side: a StructType built from contracts/event.schema.json.

The schema file is generated from lib/data/event-contract.ts (``npm run contracts``), so the
TypeScript records and the Spark jobs read one definition; nothing here is inferred from data.
Jobs pass the file's path explicitly (``event_schema(path)``); the default is the repository copy.
"""

from __future__ import annotations

import json
import os
from typing import Any, Mapping, Optional

from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DataType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

DEFAULT_SCHEMA_PATH = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "contracts", "event.schema.json"
)


class ContractError(ValueError):
    """The schema file uses a JSON Schema construct this module does not map to Spark."""


def _non_null_type(node: Mapping[str, Any]) -> str:
    declared = node.get("type")
    types = declared if isinstance(declared, list) else [declared]
    concrete = [t for t in types if t != "null"]
    if len(concrete) != 1:
        raise ContractError(f"expected exactly one non-null type, got {declared!r}")
    return concrete[0]


def _is_nullable(node: Mapping[str, Any]) -> bool:
    declared = node.get("type")
    return isinstance(declared, list) and "null" in declared


def spark_type(node: Mapping[str, Any]) -> DataType:
    """The Spark type of one JSON Schema node (integer, number, string, boolean, array, object)."""
    kind = _non_null_type(node)
    if kind == "integer":
        return LongType() if node.get("format") == "int64" else IntegerType()
    if kind == "number":
        return DoubleType()
    if kind == "boolean":
        return BooleanType()
    if kind == "string":
        return TimestampType() if node.get("format") == "date-time" else StringType()
    if kind == "array":
        items = node["items"]
        return ArrayType(spark_type(items), containsNull=_is_nullable(items))
    if kind == "object":
        return struct_type(node)
    raise ContractError(f"unsupported JSON Schema type {kind!r}")


def struct_type(node: Mapping[str, Any]) -> StructType:
    """A StructType with one field per property, in the schema's order; nullable where 'null' is allowed."""
    return StructType(
        [
            StructField(name, spark_type(prop), nullable=_is_nullable(prop), metadata={"comment": prop.get("description", "")})
            for name, prop in node["properties"].items()
        ]
    )


def event_schema(path: Optional[str] = None) -> StructType:
    """The StructType of one normalized event, read from the contract file at path."""
    with open(path or DEFAULT_SCHEMA_PATH, encoding="utf-8") as handle:
        return struct_type(json.load(handle))
