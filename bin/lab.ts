// `npm run lab`: Jupyter Lab with the tslab kernel until Ctrl-C (or SIGTERM, or the terminal
// closing), then stopped. A Lab that dies by itself ends the command with its log's last lines.
import type { Config } from '../lib/config';
import { startLab, stopLab } from '../lib/jupyter';
import { isAlive, tailFile } from '../lib/stack/processes';
import { describeWaitOutcome, stopRequest, waitForInterrupt } from './wait-for-interrupt';

export async function runLab(config: Config): Promise<void> {
  // Held from the start until Lab is stopped: a Ctrl-C while Lab starts, or a second one while it
  // stops, must not end the command and leave Lab (a detached service) running.
  const stop = stopRequest();
  process.stdout.write(`starting Jupyter Lab on port ${config.labPort} …\n`);
  const lab = await startLab({ port: config.labPort });
  process.stdout.write(`\nJupyter Lab is running (token authentication on):\n  ${lab.url}\n`);
  process.stdout.write(`log: ${lab.log}\nPress Ctrl-C to stop it.\n`);
  const outcome = await waitForInterrupt({ watch: [{ what: 'Jupyter Lab', alive: () => isAlive(lab.pid) }], stop });
  if (outcome.reason === 'stopped') {
    process.stderr.write(`\nJupyter Lab (pid ${lab.pid}) exited by itself; ${lab.log} ends with:\n${tailFile(lab.log)}\n`);
    process.exitCode = 1;
  } else process.stdout.write(`\n${describeWaitOutcome(outcome)}: stopping Jupyter Lab …\n`);
  try {
    await stopLab();
  } finally {
    stop.dispose();
  }
  process.stdout.write('Jupyter Lab stopped.\n');
}
