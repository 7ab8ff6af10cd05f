import type { Control } from "../control";
import { keyNotMadeAtConsoleUserSetup, credentialsUnused45Days, credentialsUnused90Days, keysRotatedWithin90Days, oneActiveKey } from "./credentials";
import { secretEncryptedWithCustomerKey, secretInUse, secretRotationConfigured, secretValueRenewed } from "./credentialsSecret";
import { ACCOUNT_CONTROLS, PENDING_CONTROLS } from "./outOfScope";
import { memberOfAGroup, noCloudShellFullAccess, noFullAdministrator, noServiceWildcards, permissionsOnlyThroughGroups } from "./permissions";
import {
  noCredentialsExposure,
  noDataExfiltration,
  noPrivilegeEscalation,
  noStarResource,
  noUnconstrainedPermissionsManagement,
  noUnconstrainedWrite,
} from "./policyRisks";
import { consoleUsersHaveMfa, everyUserHasMfa, instanceRoles, noIamUsers, temporaryCredentials, userTagged } from "./signIn";

/**
 * Every control that bears on what the stack manages, in report order: CIS section 1 as it applies to
 * the user, the other tools' checks of the user and its policies, the credentials secret, then what
 * the stack's evidence cannot decide (account-wide settings, and what the stack does not manage yet).
 */
export const ALL_CONTROLS: readonly Control[] = [
  consoleUsersHaveMfa,
  keyNotMadeAtConsoleUserSetup,
  credentialsUnused45Days,
  credentialsUnused90Days,
  oneActiveKey,
  keysRotatedWithin90Days,
  permissionsOnlyThroughGroups,
  memberOfAGroup,
  noFullAdministrator,
  noServiceWildcards,
  instanceRoles,
  noCloudShellFullAccess,
  everyUserHasMfa,
  noIamUsers,
  temporaryCredentials,
  userTagged,
  noPrivilegeEscalation,
  noCredentialsExposure,
  noDataExfiltration,
  noUnconstrainedPermissionsManagement,
  noUnconstrainedWrite,
  noStarResource,
  secretRotationConfigured,
  secretValueRenewed,
  secretInUse,
  secretEncryptedWithCustomerKey,
  ...ACCOUNT_CONTROLS,
  ...PENDING_CONTROLS,
];
