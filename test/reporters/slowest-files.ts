// Prints the slowest test files last, after vitest's own summary: CI keeps only the tail of a run's
// output, and this tail then says where the suite's time goes.
import path from 'node:path';
import type { Reporter } from 'vitest/reporters';

type Finished = NonNullable<Reporter['onFinished']>;

const SHOWN = 15;

export default class SlowestFiles implements Reporter {
  onFinished: Finished = (files) => {
    const timed = files
      .map((file) => ({ name: path.relative(process.cwd(), file.filepath), seconds: (file.result?.duration ?? 0) / 1000, state: file.result?.state ?? 'skip' }))
      .sort((a, b) => b.seconds - a.seconds);
    const total = timed.reduce((sum, file) => sum + file.seconds, 0);
    const lines = timed.slice(0, SHOWN).map((file) => `  ${file.seconds.toFixed(0).padStart(6)} s  ${file.state === 'pass' ? ' ' : '✗'} ${file.name}`);
    process.stdout.write(`\nslowest test files (${total.toFixed(0)} s in ${timed.length} files):\n${lines.join('\n')}\n`);
  };
}
