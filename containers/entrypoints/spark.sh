#!/bin/sh
# Starts a Spark standalone daemon of the compose stack: `master` or `worker`. The configuration is
# the one lib rendered for the container paths (spark-<mode>.conf), never a file with placeholders.
set -eu
mode="${PITCHSTREAM_MODE:-cpu}"
conf="/opt/pitchstream/.pitchstream/containers/spark-conf/spark-${mode}.conf"
[ -f "$conf" ] || { echo "pitchstream-spark: no Spark configuration for mode '$mode' ($conf); PITCHSTREAM_MODE must be cpu or gpu" >&2; exit 2; }
# Each replica advertises its own address: workers scaled with --scale share one service name.
address="$(hostname -i | cut -d' ' -f1)"
export SPARK_LOCAL_IP="$address"
case "${1:-}" in
  master)
    exec "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
      --host "${SPARK_MASTER_HOST:-spark-master}" --port 7077 --webui-port 8080 --properties-file "$conf" ;;
  worker)
    exec "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker "${SPARK_MASTER_URL:-spark://spark-master:7077}" \
      --host "$address" --webui-port 8081 --cores "${SPARK_WORKER_CORES:-1}" --memory "${SPARK_WORKER_MEMORY:-1g}" \
      --work-dir /tmp/spark-work --properties-file "$conf" ;;
  *)
    echo "usage: pitchstream-spark master|worker" >&2; exit 2 ;;
esac
