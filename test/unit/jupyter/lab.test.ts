import { describe, expect, it } from 'vitest';
import { labArgs } from '../../../lib/jupyter/lab';
import { serviceMarker } from '../../../lib/stack/processes';

describe('labArgs', () => {
  const args = labArgs({ port: 8890, ip: '127.0.0.1', rootDir: '/p', asRoot: false, settingsDir: '/p/lib/jupyter/lab-settings' });

  it('carries the service marker as an ignored Python -X option, before the module', () => {
    expect(args.slice(0, 4)).toEqual(['-X', serviceMarker('jupyter-lab'), '-m', 'jupyterlab']);
  });

  it('binds the given address and port without falling back to another port, and never passes the token', () => {
    expect(args).toEqual(expect.arrayContaining(['--no-browser', '--ServerApp.ip=127.0.0.1', '--ServerApp.port=8890', '--ServerApp.port_retries=0', '--ServerApp.root_dir=/p']));
    expect(args.join(' ')).not.toMatch(/token/i);
  });

  it('serves the project (reports/ included) with notebooks/ opened first, with pitchstream\'s settings and no update check', () => {
    expect(args).toEqual(
      expect.arrayContaining([
        '--LabApp.default_url=/lab/tree/notebooks',
        '--LabApp.app_settings_dir=/p/lib/jupyter/lab-settings',
        '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
      ]),
    );
  });

  it('adds --allow-root only when running as root', () => {
    expect(args).not.toContain('--allow-root');
    expect(labArgs({ port: 8890, ip: '127.0.0.1', rootDir: '/p', asRoot: true, settingsDir: '/p/lib/jupyter/lab-settings' })).toContain('--allow-root');
  });
});
