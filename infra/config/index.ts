export { bucketNameViolations } from "./bucketNameRules";
export { ConfigError, type ConfigProblem } from "./configError";
export { crossRegionEventsSupported, GLOBAL_EVENT_REGIONS, KNOWN_REGIONS, partitionOfRegion, regionProblem } from "./regions";
export { DEFAULT_OBJECT_COUNT_ALARM, MAX_TRUSTED_CALLER_CHARACTERS, type MonitoringSettings } from "./monitoringConfig";
export { defaultCredentialsSecretName, DEFAULT_RECOVERY_DAYS, type CredentialsSecretSettings } from "./credentialsSecretConfig";
export { secretNameViolations } from "./secretNameRules";
export { ENVIRONMENTS, isEnvironment, type Environment } from "./environments";
export {
  ACCESS_KEY_ID_PATTERN,
  ACCESS_KEY_SLOTS,
  CONFIG_NAMESPACE,
  CONFIG_NAMESPACES,
  otherSlot,
  ROTATION_PHASES,
  type AccessKeySlot,
  type RotationPhase,
  parseStackConfig,
  SETTING_NAMES,
  type RawStackConfig,
  type StackSettings,
} from "./stackConfig";
