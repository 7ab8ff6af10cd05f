import { DeleteRolePolicyCommand, GetRolePolicyCommand, PutRolePolicyCommand, type IAMClient } from "@aws-sdk/client-iam";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import {
  applyDefaults,
  conflictFailure,
  defaultNameFor,
  DEFAULTS_KEY,
  missingRequired,
  nameToCreate,
  patternFailure,
  unsupportedInputs,
} from "../../checkInputs";
import { looksAutoNamed, namePrefixFromName } from "../../naming";
import { diffNamedInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { containsUnknown, type PropertyBag } from "../../wireValues";
import { unlessMissing } from "../errors";
import { isJson } from "../normalizedJson";
import { decodeLivePolicyDocument, equivalentPolicies, policyInputAsJson, policyJson } from "../policyDocument";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const ROLE_POLICY_TYPE = RESOURCE_TYPES.rolePolicy;

// terraform's aws_iam_role_policy: role and name are the policy; PutRolePolicy rewrites the document in place.
const RULES: DiffRules = {
  replaceOn: ["role", "name", "namePrefix"],
  updateInPlace: ["policy"],
  computedWhenAbsent: ["name", "namePrefix"],
  equivalent: { policy: equivalentPolicies },
};

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const POLICY_NAME_PREFIX = /^[\w+=,.@-]{1,102}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const MAX_POLICY_LENGTH = 10240;

/** terraform's state id of an inline role policy, and its import id. */
export function rolePolicyId(roleName: string, policyName: string): string {
  return `${roleName}:${policyName}`;
}

export function parseRolePolicyId(id: string): { role: string; name: string } {
  const separator = id.indexOf(":");
  if (separator < 0) throw new Error("role_policy id must be of the form <role name>:<policy name>");
  return { role: id.slice(0, separator), name: id.slice(separator + 1) };
}

function checkRolePolicyInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures: CheckFailure[] = [
    ...unsupportedInputs(news, ["name", "namePrefix", "policy", "role"]),
    ...missingRequired(inputs, ["policy", "role"]),
    ...conflictFailure(news, "namePrefix", "name"),
    ...patternFailure(inputs, "name", POLICY_NAME, "must match [\\w+=,.@-] and be 1-128 characters"),
    ...patternFailure(inputs, "namePrefix", POLICY_NAME_PREFIX, "must match [\\w+=,.@-] and be 1-102 characters"),
    ...patternFailure(inputs, "role", ROLE_NAME, "must match [\\w+=,.@-] and be 1-64 characters"),
  ];
  const policy = inputs.policy;
  if (typeof policy === "string" && !containsUnknown(policy) && (!isJson(policy) || policy.length > MAX_POLICY_LENGTH)) {
    failures.push({ property: "policy", reason: `"policy" must be a JSON policy of at most ${MAX_POLICY_LENGTH} characters` });
  }
  return failures;
}

export function rolePolicyHandler(iam: IAMClient): ResourceHandler {
  /** The policy as outputs, or undefined when it or its role is gone; `knownDocument` is kept when IAM holds an equivalent one. */
  const readOutputs = async (role: string, name: string, knownDocument: unknown): Promise<PropertyBag | undefined> => {
    const found = await unlessMissing(async () => (await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: name }))).PolicyDocument);
    if (found === undefined) return undefined;
    const live = decodeLivePolicyDocument(found);
    return { name, namePrefix: namePrefixFromName(name), policy: equivalentPolicies(knownDocument, live) ? policyJson(knownDocument) : live, role };
  };

  const put = async (role: string, name: string, document: unknown) => {
    await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: name, PolicyDocument: policyJson(document) }));
    const outs = await readOutputs(role, name, document);
    if (!outs) throw new Error(`IAM role policy ${rolePolicyId(role, name)} vanished right after it was written`);
    return outs;
  };

  return {
    check(olds, news, context) {
      const inputs = applyDefaults(news, { name: defaultNameFor(olds, news, context.name) });
      policyInputAsJson(inputs, "policy");
      return { inputs, failures: checkRolePolicyInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      // PutRolePolicy on a chosen name would overwrite that policy, so a replacement deletes first.
      return diffNamedInputs(olds, news, RULES);
    },

    async create(inputs) {
      const role = inputs.role as string;
      const name = nameToCreate(inputs);
      return { id: rolePolicyId(role, name), outs: await put(role, name, inputs.policy) };
    },

    async read(id, props, context) {
      const { role, name } = parseRolePolicyId(id);
      const outs = await readOutputs(role, name, props.policy);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = { name, policy: outs.policy, role, [DEFAULTS_KEY]: looksAutoNamed(context.name, name) ? ["name"] : [] };
      return { id, props: outs, inputs };
    },

    async update(id, _olds, news) {
      const { role, name } = parseRolePolicyId(id);
      return put(role, name, news.policy);
    },

    async delete(id) {
      const { role, name } = parseRolePolicyId(id);
      await unlessMissing(() => iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: name })));
    },
  };
}
