// `npm start`: bring the stack up, run the smoke pipeline, say where everything is, and stop
// the stack (at once when headless, on Ctrl-C in a terminal).
import path from 'node:path';
import type { Config } from '../lib/config';
import { runSmokePipeline } from '../lib/smoke';
import { runningServices, stackDown, stackUp } from '../lib/stack';
import { waitForInterrupt } from './wait-for-interrupt';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function runMainJob(config: Config, options: { cluster: boolean; keepRunning: boolean }): Promise<void> {
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  // What already ran (e.g. `npm run stack -- up` earlier) is left running at the end.
  const alreadyRunning = runningServices(config);
  try {
    const endpoints = await stackUp(config, { cluster: options.cluster, onProgress: say });
    const result = await runSmokePipeline(config, {
      bootstrap: endpoints.kafkaBootstrap,
      master: endpoints.sparkMaster,
      keepTopic: options.keepRunning,
      onProgress: say,
    });
    const rel = (p: string) => path.relative(process.cwd(), p);
    say('\nSmoke pipeline passed: Kafka → Spark (Kafka connector) → Arrow → TypeScript');
    say(`  messages:     ${result.produced.toLocaleString('en')} produced, ${result.rows.toLocaleString('en')} read back, checksum ${result.checksum}`);
    say(`  times:        produce ${result.durationMs.produce} ms, Spark job ${result.durationMs.job} ms (master ${result.master})`);
    say(`  Arrow output: ${rel(result.arrowFile)}`);
    say(`  driver log:   ${rel(result.driverLog)}`);
    say(`  Kafka:        ${endpoints.kafkaBootstrap} (topic ${result.topic}${options.keepRunning ? '' : ', deleted'})`);
    if (endpoints.sparkMasterUi) say(`  Spark master: ${endpoints.sparkMasterUi}`);
    if (options.keepRunning && !interrupted) {
      say('\nThe stack stays up for exploring (npm run stack -- status). Press Ctrl-C to stop it.');
      process.off('SIGINT', onSignal);
      await waitForInterrupt();
    }
  } finally {
    process.off('SIGINT', onSignal);
    say('\nstopping the stack …');
    const stopped = await stackDown(config, { keep: alreadyRunning });
    say(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing to stop');
    if (alreadyRunning.size) say(`left running (started before): ${[...alreadyRunning].join(', ')}`);
  }
}
