#!/usr/bin/env bash
# GPU discovery script for Spark resource scheduling (spark.{executor,worker}.resource.gpu.discoveryScript),
# the standard one from Spark's examples: prints the addresses of the visible NVIDIA GPUs as
#   {"name": "gpu", "addresses": ["0", "1"]}
# and fails (non-zero exit, message on stderr) when nvidia-smi is missing or lists no GPU.
set -euo pipefail

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "getGpusResources.sh: nvidia-smi not found on PATH" >&2
  exit 1
fi

indexes=$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ')
if [ -z "$indexes" ]; then
  echo "getGpusResources.sh: nvidia-smi lists no GPU" >&2
  exit 1
fi

addresses=$(printf '%s\n' "$indexes" | sed -e 's/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
