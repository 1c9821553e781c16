export { loadConfig, type Config } from './load-config';
export { settingsTable } from './settings-table';
export { installPaths, projectRoot, requireInstalled, type InstallPaths } from './paths';
export { SETTINGS, SETUP_VARIABLES, type Mode, type Settings } from './settings';
export { versions, type Versions } from './versions';
