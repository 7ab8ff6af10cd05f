export { bucketNameViolations } from "./bucketNameRules";
export { ConfigError, type ConfigProblem } from "./configError";
export { ENVIRONMENTS, isEnvironment, type Environment } from "./environments";
export {
  CONFIG_NAMESPACE,
  parseStackConfig,
  partitionOfRegion,
  SETTING_NAMES,
  type RawStackConfig,
  type StackSettings,
} from "./stackConfig";
