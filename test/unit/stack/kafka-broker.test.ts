import { describe, expect, it } from 'vitest';
import { brokerProperties } from '../../../lib/stack/kafka-broker';

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
