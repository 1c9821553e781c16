// Renders an executed notebook as a standalone HTML report with nbconvert.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { loadConfig } from '../config';
import { PitchstreamError } from '../errors';
import { jupyterInstall } from './environment';
import { htmlArgs } from './nbconvert-command';

const HTML_TIMEOUT_MS = 2 * 60_000;

/** Writes htmlPath (must end with .html) from the executed notebook and returns its path. */
export async function notebookToHtml(executedPath: string, htmlPath: string): Promise<string> {
  if (path.extname(htmlPath) !== '.html')
    throw new TypeError(`notebookToHtml: htmlPath must end with .html, received ${htmlPath}`);
  if (!fs.existsSync(executedPath))
    throw new PitchstreamError('NOTEBOOK_NOT_FOUND', `notebook ${executedPath} does not exist`, {
      details: { notebook: executedPath },
    });
  const config = loadConfig();
  const install = jupyterInstall(config);
  const output = path.resolve(htmlPath);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const result = await execa(install.jupyter, htmlArgs(path.resolve(executedPath), output), {
    cwd: config.root,
    env: install.env,
    stdin: 'ignore',
    reject: false,
    timeout: HTML_TIMEOUT_MS,
  });
  if (result.failed || !fs.existsSync(output))
    throw new PitchstreamError('NOTEBOOK_FAILED', `could not render ${executedPath} as HTML:\n${result.stderr.slice(-2000)}`, {
      fix: 'Read the nbconvert output above; check that the notebook file is valid JSON.',
      details: { notebook: executedPath, htmlPath: output, exitCode: result.exitCode, timedOut: result.timedOut },
    });
  return output;
}
