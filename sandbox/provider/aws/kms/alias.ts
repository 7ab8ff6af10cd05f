import { CreateAliasCommand, DeleteAliasCommand, UpdateAliasCommand, paginateListAliases, type AliasListEntry, type KMSClient } from "@aws-sdk/client-kms";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, conflictFailure, defaultNameFor, DEFAULTS_KEY, missingRequired, nameToCreate, unsupportedInputs } from "../../checkInputs";
import { looksAutoNamed, namePrefixFromName } from "../../naming";
import { diffNamedInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { isUnknown, type PropertyBag } from "../../wireValues";
import { unlessNotFound } from "../errors";
import { regionFailure, regionFor, splitImportRegion } from "../region";
import type { RegionalClients } from "../regionalClients";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const ALIAS_TYPE = RESOURCE_TYPES.kmsAlias;

/** The key id in a key ARN (`arn:aws:kms:<region>:<account>:key/<id>`), or the text itself when it is no key ARN. */
export function keyIdOf(keyIdOrArn: string): string {
  const match = /^arn:[^:]+:kms:[^:]*:[^:]*:key\/(.+)$/.exec(keyIdOrArn);
  return match ? match[1]! : keyIdOrArn;
}

/** terraform's keyARNOrIDEqual: a key's id and its ARN name the same key. */
function sameKey(old: unknown, next: unknown): boolean {
  return typeof old === "string" && typeof next === "string" ? keyIdOf(old) === keyIdOf(next) : old === next;
}

// terraform's aws_kms_alias: the name is the alias; it can be pointed at another key in place.
const RULES: DiffRules = {
  replaceOn: ["name", "namePrefix", "region"],
  updateInPlace: ["targetKeyId"],
  computedWhenAbsent: ["name", "namePrefix"],
  equivalent: { targetKeyId: sameKey },
};

const ALIAS_NAME = /^alias\/[0-9A-Za-z_/-]+$/;

/** pulumi-aws autonames an alias as `alias/<logical name>-<random>`, adding `alias/` unless the logical name has it. */
function aliasAutoNameBase(logicalName: string): string {
  return logicalName.startsWith("alias/") ? logicalName : `alias/${logicalName}`;
}

function checkAliasInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures: CheckFailure[] = [
    ...unsupportedInputs(news, ["name", "namePrefix", "targetKeyId", "region"]),
    ...missingRequired(inputs, ["targetKeyId"]),
    ...conflictFailure(news, "namePrefix", "name"),
    ...regionFailure(inputs),
  ];
  for (const key of ["name", "namePrefix"]) {
    const value = inputs[key];
    if (typeof value !== "string" || isUnknown(value)) continue;
    if (value.startsWith("alias/aws/")) failures.push({ property: key, reason: `"${key}" cannot begin with reserved AWS CMK prefix 'alias/aws/'` });
    else if (!ALIAS_NAME.test(value)) failures.push({ property: key, reason: `"${key}" must begin with 'alias/' and be comprised of only [0-9A-Za-z_/-]` });
  }
  return failures;
}

export function aliasHandler(kms: RegionalClients<KMSClient>): ResourceHandler {
  const findAlias = async (aliasName: string, region: string): Promise<AliasListEntry | undefined> => {
    for await (const page of paginateListAliases({ client: kms.in(region) }, {})) {
      const alias = (page.Aliases ?? []).find((candidate) => candidate.AliasName === aliasName);
      if (alias) return alias;
    }
    return undefined;
  };

  const readOutputs = async (aliasName: string, region: string): Promise<PropertyBag | undefined> => {
    const alias = await findAlias(aliasName, region);
    if (!alias?.AliasArn || !alias.TargetKeyId) return undefined;
    return {
      arn: alias.AliasArn,
      name: aliasName,
      namePrefix: namePrefixFromName(aliasName),
      region,
      // The alias ARN with the key in place of the alias, as terraform builds it.
      targetKeyArn: alias.AliasArn.replace(/:alias\/.*$/, `:key/${alias.TargetKeyId}`),
      targetKeyId: alias.TargetKeyId,
    };
  };

  const mustReadOutputs = async (aliasName: string, region: string) => {
    const outs = await readOutputs(aliasName, region);
    if (!outs) throw new Error(`KMS alias ${aliasName} vanished right after it was written`);
    return outs;
  };

  return {
    check(olds, news, context) {
      const inputs = applyDefaults(news, {
        name: defaultNameFor(olds, news, aliasAutoNameBase(context.name)),
        region: kms.defaultRegion,
      });
      return { inputs, failures: checkAliasInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      // Two aliases cannot share a name, so a chosen name means delete first (the bridge's rule).
      return diffNamedInputs(olds, news, RULES);
    },

    async create(inputs) {
      const region = inputs.region as string;
      const aliasName = nameToCreate(inputs, "alias/");
      await kms.in(region).send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: inputs.targetKeyId as string }));
      return { id: aliasName, outs: await mustReadOutputs(aliasName, region) };
    },

    async read(id, props, context) {
      const { id: aliasName, region: importRegion } = splitImportRegion(id);
      const region = regionFor(props, importRegion, kms.defaultRegion);
      const outs = await readOutputs(aliasName, region);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = {
        name: outs.name,
        targetKeyId: outs.targetKeyId,
        region,
        [DEFAULTS_KEY]: looksAutoNamed(aliasAutoNameBase(context.name), outs.name) ? ["name"] : [],
      };
      return { id: aliasName, props: outs, inputs };
    },

    async update(id, _olds, news) {
      const region = news.region as string;
      await kms.in(region).send(new UpdateAliasCommand({ AliasName: id, TargetKeyId: news.targetKeyId as string }));
      return mustReadOutputs(id, region);
    },

    async delete(id, props) {
      const region = regionFor(props, undefined, kms.defaultRegion);
      await unlessNotFound(() => kms.in(region).send(new DeleteAliasCommand({ AliasName: id })));
    },
  };
}
