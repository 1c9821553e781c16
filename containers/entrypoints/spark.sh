#!/bin/sh
# The Spark image's entry point.
# - `master` | `worker`: a standalone daemon of the compose stack, with the configuration lib
#   rendered for the container paths (spark-<mode>.conf), never a file with placeholders.
# - `driver` | `executor`: a pod of a job on Kubernetes. Spark on Kubernetes starts its pods with
#   these arguments and passes the rest through SPARK_* variables (the contract of Spark's own
#   image, docs: running-on-kubernetes); the configuration comes with the job (SparkApplication).
set -eu
case "${1:-}" in
  driver)
    shift
    # Client mode inside the driver pod, listening on the pod's address.
    exec "$SPARK_HOME/bin/spark-submit" --conf "spark.driver.bindAddress=${SPARK_DRIVER_BIND_ADDRESS:?set by Spark on Kubernetes}" --deploy-mode client "$@" ;;
  executor)
    # Heap as Spark sized it; SPARK_JAVA_OPT_<n> carry the settings Spark passes to executors, in order.
    set -- -Xms"${SPARK_EXECUTOR_MEMORY:?set by Spark on Kubernetes}" -Xmx"$SPARK_EXECUTOR_MEMORY"
    for option in $(env | sed -n 's/^\(SPARK_JAVA_OPT_[0-9]*\)=.*/\1/p' | sort -t_ -k4 -n); do
      eval "set -- \"\$@\" \"\${$option}\""
    done
    exec java "$@" -cp "$SPARK_HOME/jars/*${SPARK_CLASSPATH:+:$SPARK_CLASSPATH}${SPARK_EXTRA_CLASSPATH:+:$SPARK_EXTRA_CLASSPATH}" \
      org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "$SPARK_DRIVER_URL" --executor-id "$SPARK_EXECUTOR_ID" --cores "$SPARK_EXECUTOR_CORES" \
      --app-id "$SPARK_APPLICATION_ID" --hostname "$SPARK_EXECUTOR_POD_IP" \
      --resourceProfileId "${SPARK_RESOURCE_PROFILE_ID:-0}" --podName "${SPARK_EXECUTOR_POD_NAME:-$(hostname)}" ;;
esac
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
    echo "usage: pitchstream-spark master|worker|driver|executor" >&2; exit 2 ;;
esac
