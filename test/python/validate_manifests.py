"""Validates Kubernetes manifests offline, for test/integration/kubernetes-manifests.test.ts.

usage: validate_manifests.py CRD_YAML_GZ MANIFEST_YAML...

* SparkApplication objects against the v1beta2 OpenAPI schema of the Spark Operator's CRD, strictly:
  a field the schema does not declare is an error (the API server would drop it without a word).
* Every other object with kubernetes-validate (the Kubernetes OpenAPI schemas, strict).

Prints one JSON line: {"checked": [[file, kind, name], ...], "errors": [[file, kind, name, message], ...]}.
"""

import copy
import gzip
import json
import sys

import jsonschema
import kubernetes_validate
import yaml


def strict(schema):
    """The schema with additionalProperties: false wherever properties are declared and unknown
    fields are not kept on purpose (x-kubernetes-preserve-unknown-fields)."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if (
                "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")
            ):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def spark_application_validator(crd_file):
    with gzip.open(crd_file, "rt", encoding="utf-8") as handle:
        crd = yaml.safe_load(handle)
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1beta2")
    schema = strict(version["schema"]["openAPIV3Schema"])
    # apiVersion/kind/metadata are checked by the API server itself, not by the CRD's schema.
    schema["properties"]["metadata"] = {"type": "object"}
    return jsonschema.Draft7Validator(schema)


def main(crd_file, manifest_files):
    validator = spark_application_validator(crd_file)
    checked, errors = [], []
    for file in manifest_files:
        with open(file, encoding="utf-8") as handle:
            documents = [d for d in yaml.safe_load_all(handle) if d is not None]
        for document in documents:
            kind = document.get("kind", "?")
            name = document.get("metadata", {}).get("name", "?")
            checked.append([file, kind, name])
            if kind == "SparkApplication":
                for error in validator.iter_errors(document):
                    where = "/".join(str(p) for p in error.absolute_path)
                    errors.append([file, kind, name, f"{where}: {error.message}"])
            else:
                try:
                    kubernetes_validate.validate(document, kubernetes_validate.latest_version(), strict=True)
                except kubernetes_validate.ValidationError as error:
                    where = "/".join(str(p) for p in error.path)
                    errors.append([file, kind, name, f"{where}: {error.message}"])
                except Exception as error:  # unknown kind or version: also a finding
                    errors.append([file, kind, name, f"{type(error).__name__}: {error}"])
    print(json.dumps({"checked": checked, "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
