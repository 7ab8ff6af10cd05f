import { backendIdentityNames, backendTags } from "../components/backendIdentity";
import type { Environment } from "../config/environments";
import type { AlertKind } from "./alertRules";

/**
 * The IAM group the backend's policy is attached through (being added to BackendS3User); the IAM rule
 * watches it by name, so it needs only the name, whether or not the group exists yet.
 */
export function backendGroupName(environment: Environment): string {
  return `${backendIdentityNames(environment).userName}-s3`;
}

/** Physical names of the monitoring's AWS objects: after the user they watch, so an operator knows them. */
export interface MonitoringNames {
  readonly topic: string;
  /** A rule's name; the same in every region, where names are per region. */
  readonly rule: (kind: AlertKind) => string;
  /** A rule in another region that sends its events to the home region. */
  readonly forwardingRule: (kind: AlertKind, homeRegion: string) => string;
  readonly forwardingRole: string;
  readonly objectCountAlarm: string;
}

export function monitoringNames(environment: Environment, bucketName: string): MonitoringNames {
  const { userName } = backendIdentityNames(environment);
  return {
    topic: `${userName}-alerts`,
    rule: (kind) => `${userName}-${kind}`,
    forwardingRule: (kind, homeRegion) => `${userName}-${kind}-to-${homeRegion}`,
    forwardingRole: `${userName}-alert-forwarding`,
    objectCountAlarm: `${bucketName}-object-count`,
  };
}

/** The identity's tags with the monitoring's purpose, so an audit tells the two apart. */
export function monitoringTags(environment: Environment): Record<string, string> {
  return { ...backendTags(environment), Purpose: "backend-access-monitoring" };
}
