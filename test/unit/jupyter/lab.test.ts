import { describe, expect, it } from 'vitest';
import { labArgs } from '../../../lib/jupyter/lab';
import { serviceMarker } from '../../../lib/stack/processes';

describe('labArgs', () => {
  const args = labArgs({ port: 8890, ip: '127.0.0.1', rootDir: '/p/notebooks', asRoot: false });

  it('carries the service marker as an ignored Python -X option, before the module', () => {
    expect(args.slice(0, 4)).toEqual(['-X', serviceMarker('jupyter-lab'), '-m', 'jupyterlab']);
  });

  it('binds the given address and port without falling back to another port, and never passes the token', () => {
    expect(args).toEqual(expect.arrayContaining(['--no-browser', '--ServerApp.ip=127.0.0.1', '--ServerApp.port=8890', '--ServerApp.port_retries=0', '--ServerApp.root_dir=/p/notebooks']));
    expect(args.join(' ')).not.toMatch(/token/i);
  });

  it('adds --allow-root only when running as root', () => {
    expect(args).not.toContain('--allow-root');
    expect(labArgs({ port: 8890, ip: '127.0.0.1', rootDir: '/p/notebooks', asRoot: true })).toContain('--allow-root');
  });
});
