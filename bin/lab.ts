// `npm run lab`: Jupyter Lab with the tslab kernel until Ctrl-C, then stopped.
import type { Config } from '../lib/config';
import { startLab, stopLab } from '../lib/jupyter';
import { waitForInterrupt } from './wait-for-interrupt';

export async function runLab(config: Config): Promise<void> {
  process.stdout.write(`starting Jupyter Lab on port ${config.labPort} …\n`);
  const lab = await startLab({ port: config.labPort });
  process.stdout.write(`\nJupyter Lab is running (token authentication on):\n  ${lab.url}\n`);
  process.stdout.write(`log: ${lab.log}\nPress Ctrl-C to stop it.\n`);
  await waitForInterrupt();
  process.stdout.write('\nstopping Jupyter Lab …\n');
  await stopLab();
}
