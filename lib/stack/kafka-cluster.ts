// A multi-broker KRaft cluster on loopback: N combined broker + controller nodes started from the set-up's jars,
// each with its own ports, data directory and service record. Internal topics and new topics default to three
// replicas with two in sync, as a production cluster: the tests of broker faults (a partition leader killed
// mid-produce and brought back) run on it.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { PitchstreamError } from '../errors';
import { brokerAnswersMetadata } from '../kafka/health';
import { BROKER_LOG4J2, brokerJvmArgs, formatProperties, java, kafkaDirs, kraftNodeSettings, newClusterId, prepareDataDir } from './kafka-broker';
import { canConnect, requireFreePort, waitUntil } from './ports';
import { isOurs, killService, readService, startService, stopService, tailFile, type ServiceRecord } from './processes';

export interface KafkaClusterNode {
  nodeId: number;
  port: number;
  controllerPort: number;
}

export interface KafkaClusterOptions {
  /** Client and controller ports of each node (node ids 1 … N in this order). */
  nodes: KafkaClusterNode[];
  /** Java heap of each broker (default 256m: three JVMs on a small machine). */
  heap?: string;
}

export interface KafkaCluster {
  bootstrap: string;
  nodes: KafkaClusterNode[];
  /** Kills a node at once (SIGKILL: no controlled shutdown), as a crash would. */
  kill(nodeId: number): Promise<void>;
  /** Starts a stopped or killed node again on its data; resolves once it answers metadata requests. */
  start(nodeId: number): Promise<void>;
  stop(): Promise<void>;
}

const serviceName = (nodeId: number): string => `kafka-node-${nodeId}`;

/** The first ERROR line of a broker log and the line after it (the cause; a stack trace's tail alone hides it). */
function firstErrorLines(log: string): string {
  const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : [];
  const at = lines.findIndex((line) => /\bERROR\b|Exception:|Error:/.test(line));
  return at < 0 ? '' : `${lines.slice(at, at + 2).join('\n')}\n…\n`;
}

function nodeProperties(node: KafkaClusterNode, all: KafkaClusterNode[], dataDir: string): string {
  const replicas = Math.min(3, all.length);
  return formatProperties({
    ...kraftNodeSettings({ dataDir, nodeId: node.nodeId, replicas }),
    'default.replication.factor': replicas,
    'min.insync.replicas': Math.max(1, replicas - 1),
    // The log cleaner takes a 128 MiB dedupe buffer from the heap by default: too much for three small-heap JVMs
    // (a node failed to start in its LogCleaner once). The cluster's topics are small.
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    // A crashed node is fenced (its partitions get new leaders) after 4 s without a heartbeat, not Kafka's 9 s.
    'broker.session.timeout.ms': 4_000,
    'broker.heartbeat.interval.ms': 1_000,
    'controller.quorum.voters': all.map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`).join(','),
    listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
  });
}

/** Starts (or formats, then starts) a cluster of `options.nodes.length` nodes under the home folder's kafka-cluster/. */
export async function startKafkaCluster(config: Config, options: KafkaClusterOptions): Promise<KafkaCluster> {
  const dirs = kafkaDirs(config);
  const root = path.join(config.home, 'kafka-cluster');
  const heap = options.heap ?? '256m';
  const { nodes } = options;
  if (nodes.length < 1) throw new RangeError('a Kafka cluster needs at least one node');
  const ports = nodes.flatMap((node) => [node.port, node.controllerPort]);
  if (new Set(ports).size !== ports.length) throw new RangeError(`every node needs its own client and controller ports, got ${ports.join(', ')} (anyFreePorts gives distinct ones)`);
  const clusterId = newClusterId(dirs.jars);
  const files = new Map<number, { properties: string; log4j: string }>();

  for (const node of nodes) {
    await requireFreePort(node.port, `Kafka node ${node.nodeId}`, 'the cluster options');
    await requireFreePort(node.controllerPort, `Kafka node ${node.nodeId} controller`, 'the cluster options');
    const conf = path.join(root, `node-${node.nodeId}`);
    const dataDir = path.join(conf, 'data');
    fs.mkdirSync(conf, { recursive: true });
    const properties = path.join(conf, 'server.properties');
    const log4j = path.join(conf, 'log4j2.properties');
    fs.writeFileSync(properties, nodeProperties(node, nodes, dataDir));
    fs.writeFileSync(log4j, BROKER_LOG4J2);
    prepareDataDir(dataDir, dirs.jars, properties, [], { id: node.nodeId, clusterId });
    files.set(node.nodeId, { properties, log4j });
  }

  const nodeOf = (nodeId: number): KafkaClusterNode => {
    const node = nodes.find((candidate) => candidate.nodeId === nodeId);
    if (!node) throw new RangeError(`the cluster has no node ${nodeId} (nodes ${nodes.map((n) => n.nodeId).join(', ')})`);
    return node;
  };

  function launch(node: KafkaClusterNode): Promise<ServiceRecord> {
    const { properties, log4j } = files.get(node.nodeId)!;
    const service = serviceName(node.nodeId);
    return startService({
      service,
      command: java(),
      args: brokerJvmArgs({ heap, log4j, service, jars: dirs.jars, properties }),
      runDir: dirs.run,
      logDir: dirs.logs,
      ports: { client: node.port, controller: node.controllerPort },
      urls: { bootstrap: `127.0.0.1:${node.port}` },
    });
  }

  async function awaitReady(node: KafkaClusterNode, record: ServiceRecord): Promise<void> {
    const outcome = await waitUntil(async () => (await canConnect(node.port)) && brokerAnswersMetadata(`127.0.0.1:${node.port}`, 5_000), {
      timeoutMs: config.startupTimeoutMs,
      intervalMs: 500,
      alive: () => isOurs(record),
    });
    if (outcome !== 'ready')
      throw new PitchstreamError(outcome === 'died' ? 'PROCESS_START_FAILED' : 'STARTUP_TIMEOUT', `Kafka node ${node.nodeId} did not start (log: ${record.log}):\n${firstErrorLines(record.log)}${tailFile(record.log, 15)}`, {
        details: { log: record.log },
      });
  }

  const stopAll = async () => {
    await Promise.all(nodes.map((node) => stopService(dirs.run, serviceName(node.nodeId), 10_000)));
  };
  try {
    // All at once: a node answers only once the controllers have a quorum.
    const records = await Promise.all(nodes.map((node) => launch(node)));
    await Promise.all(nodes.map((node, i) => awaitReady(node, records[i]!)));
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    bootstrap: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    nodes,
    async kill(nodeId) {
      nodeOf(nodeId);
      await killService(dirs.run, serviceName(nodeId));
    },
    async start(nodeId) {
      const node = nodeOf(nodeId);
      const existing = readService(dirs.run, serviceName(nodeId));
      if (existing && isOurs(existing)) return;
      await awaitReady(node, await launch(node));
    },
    async stop() {
      await stopAll();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
