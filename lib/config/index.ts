export { loadConfig, type Config } from './load-config';
export { settingsTable } from './settings-table';
export { installPaths, projectRoot, requireInstalled, type InstallPaths } from './paths';
export { SASL_MECHANISMS, SECURITY_PROTOCOLS, SETTINGS, SETUP_VARIABLES, type Mode, type SaslMechanism, type SecurityProtocol, type Settings } from './settings';
export { versions, type Versions } from './versions';
