import { accessKeys } from "./accessKeys";
import { accessMonitoring } from "./accessMonitoring";
import { bucketReachable } from "./bucketReachable";
import { callerIdentity } from "./callerIdentity";
import type { Check } from "./check";
import { consoleAccess } from "./consoleAccess";
import { credentialsSecret } from "./credentialsSecret";
import { keyAge } from "./keyAge";
import { keyIdle } from "./keyIdle";
import { leastPrivilege } from "./leastPrivilege";
import { mfa } from "./mfa";
import { policyAttached } from "./policyAttached";
import { policyAllowsDeleteObject, policyAllowsGetObject, policyAllowsListBucket, policyAllowsPutObject } from "./policyAllowsActions";
import { policyDrift } from "./policyDrift";
import { roundTrip } from "./roundTrip";
import { tags } from "./tags";
import { userExists } from "./userExists";

export type { Check } from "./check";

/** Every check, in report order: the original verify-iam.sh's eight first, then the new ones. */
export const ALL_CHECKS: readonly Check[] = [
  userExists,
  policyAttached,
  accessKeys,
  policyAllowsListBucket,
  policyAllowsPutObject,
  policyAllowsGetObject,
  policyAllowsDeleteObject,
  bucketReachable,
  keyAge,
  keyIdle,
  consoleAccess,
  mfa,
  leastPrivilege,
  policyDrift,
  callerIdentity,
  roundTrip,
  tags,
  credentialsSecret,
  accessMonitoring,
];
