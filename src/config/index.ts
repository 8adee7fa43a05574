export {
  CONFIG_FILE_NAMES,
  ConfigError,
  type ConfigProblem,
  formatConfigError,
  type LoadedConfig,
  loadConfig,
  type ParseConfigOptions,
  parseConfig,
} from './load.js';
export { type ConfigInput, configSchema, suppressionSchema } from './schema.js';
