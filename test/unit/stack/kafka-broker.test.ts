import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../lib/config';
import { brokerProperties, containerBrokerProperties } from '../../../lib/stack/kafka-broker';

describe('brokerProperties', () => {
  const text = brokerProperties({ port: 19092, controllerPort: 19093, dataDir: '/tmp/data' });
  const props = Object.fromEntries(text.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));

  it('describes a single KRaft node that is broker and controller at once', () => {
    expect(props['process.roles']).toBe('broker,controller');
    expect(props['controller.quorum.voters']).toBe('1@127.0.0.1:19093');
  });

  it('listens on loopback only, on the configured ports', () => {
    expect(props.listeners).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:19092');
  });

  it('keeps one replica of internal topics and no automatic topic creation', () => {
    expect(props['offsets.topic.replication.factor']).toBe('1');
    expect(props['auto.create.topics.enable']).toBe('false');
    expect(props['log.dirs']).toBe('/tmp/data');
  });
});

describe('containerBrokerProperties', () => {
  const text = containerBrokerProperties({ dataDir: '/var/lib/kafka/data' });
  const props = Object.fromEntries(text.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
  const loopback = Object.fromEntries(
    brokerProperties({ port: 1, controllerPort: 2, dataDir: '/var/lib/kafka/data' }).trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );

  it('has a listener for the other containers and one published to the host, on every interface', () => {
    expect(props.listeners).toBe('INTERNAL://0.0.0.0:9092,EXTERNAL://0.0.0.0:9094,CONTROLLER://127.0.0.1:9093');
    expect(props['inter.broker.listener.name']).toBe('INTERNAL');
    expect(props['listener.security.protocol.map']).toBe('INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT');
  });

  it('leaves the advertised listeners to the container start (the host port is chosen then)', () => {
    expect(props['advertised.listeners']).toBeUndefined();
    const entrypoint = fs.readFileSync(path.join(projectRoot(), 'containers', 'entrypoints', 'kafka.sh'), 'utf8');
    expect(entrypoint).toContain('advertised.listeners=${KAFKA_ADVERTISED_LISTENERS');
  });

  it('is the same single node as the embedded broker in everything but its listeners', () => {
    const listenerKeys = ['listeners', 'advertised.listeners', 'controller.quorum.voters', 'inter.broker.listener.name', 'listener.security.protocol.map'];
    const strip = (p: Record<string, string>) => Object.fromEntries(Object.entries(p).filter(([k]) => !listenerKeys.includes(k)));
    expect(strip(props)).toEqual(strip(loopback));
  });
});
