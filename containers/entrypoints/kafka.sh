#!/bin/sh
# A single KRaft node (broker + controller). server.properties is rendered by lib; the advertised
# listeners come from the environment, because the host port is chosen when the stack starts.
set -eu
config=/opt/kafka/config
runtime=/tmp/server.properties
cp "$config/server.properties" "$runtime"
echo "advertised.listeners=${KAFKA_ADVERTISED_LISTENERS:?KAFKA_ADVERTISED_LISTENERS is not set}" >> "$runtime"
classpath='/opt/kafka/libs/*'
data="$(sed -n 's/^log.dirs=//p' "$runtime")"
if [ ! -f "$data/meta.properties" ]; then
  id="$(java -cp "$classpath" kafka.tools.StorageTool random-uuid)"
  java -cp "$classpath" kafka.tools.StorageTool format -t "$id" -c "$runtime"
fi
exec java -Xms128m "-Xmx${KAFKA_HEAP:-512m}" -XX:+UseG1GC -Djava.awt.headless=true \
  "-Dlog4j2.configurationFile=$config/log4j2.properties" -cp "$classpath" kafka.Kafka "$runtime"
