import { ConfigError } from "./config/configError";

/**
 * How the driver asks the program to take over objects that already exist in IAM (adoption, and
 * repairing an interrupted create): the ids to import, as JSON in this variable. The plain CLI never
 * sets it, so `pulumi up` only ever manages what the state already holds.
 */
export const IMPORT_IDS_VARIABLE = "TALENTBASE_IAM_IMPORT_IDS";

/** Import ids as terraform-provider-aws forms them. */
export interface ImportIds {
  /** The user's name. */
  readonly user?: string;
  /** The managed policy's ARN. */
  readonly policy?: string;
  /**
   * `<user name>/<policy ARN>`: a direct attachment of the policy to the user (setup-iam.sh made one).
   * The program declares it only while it is being imported, so the next update detaches it, once the
   * group grants the policy.
   */
  readonly attachment?: string;
  /** The group's name. */
  readonly group?: string;
  /** `<group name>/<policy ARN>`. */
  readonly groupAttachment?: string;
  /** `<user name>/<group name>`: the user's membership of the stack's group, and of no other. */
  readonly membership?: string;
}

const IMPORTABLE = ["user", "policy", "attachment", "group", "groupAttachment", "membership"] as const satisfies readonly (keyof ImportIds)[];

export function readImportIds(env: NodeJS.ProcessEnv = process.env): ImportIds {
  const raw = env[IMPORT_IDS_VARIABLE];
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError("(environment)", [{ key: IMPORT_IDS_VARIABLE, message: `${IMPORT_IDS_VARIABLE} must be a JSON object of import ids` }]);
  }
  const ids: Record<string, string> = {};
  for (const [key, value] of Object.entries((parsed ?? {}) as Record<string, unknown>)) {
    if (!(IMPORTABLE as readonly string[]).includes(key) || typeof value !== "string" || value === "") {
      throw new ConfigError("(environment)", [{ key: IMPORT_IDS_VARIABLE, message: `${IMPORT_IDS_VARIABLE} has an invalid entry ${key}` }]);
    }
    ids[key] = value;
  }
  return ids;
}

export function encodeImportIds(ids: ImportIds): string {
  return JSON.stringify(ids);
}
