// Debian's Chromium driven by playwright-core, as the browser tests use it: Playwright cannot
// download its own browsers here, so it is pointed at the system executable (the set-up installs it).
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** PITCHSTREAM_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  const executable = process.env.PITCHSTREAM_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(executable))
    throw new Error(`no Chromium at ${executable}: \`npm test\` installs Debian's chromium (apt-get install chromium), or set PITCHSTREAM_CHROMIUM`);
  return executable;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // Root in CI needs --no-sandbox; the others keep Chromium from calling out of this closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
