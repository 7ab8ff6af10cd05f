import { CreateGroupCommand, DeleteGroupCommand, GetGroupCommand, UpdateGroupCommand, type Group, type IAMClient } from "@aws-sdk/client-iam";
import { applyDefaults, autoNameFor, missingRequired, patternFailure, unsupportedInputs, DEFAULTS_KEY } from "../../checkInputs";
import { looksAutoNamed } from "../../naming";
import { diffInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import type { PropertyBag } from "../../wireValues";
import { unlessMissing } from "../errors";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const GROUP_TYPE = RESOURCE_TYPES.group;

// terraform's aws_iam_group: nothing forces a new group; a rename or a new path is UpdateGroup.
const RULES: DiffRules = { replaceOn: [], updateInPlace: ["name", "path"] };

const GROUP_NAME = /^[0-9A-Za-z=,.@\-_+]+$/;

function groupOutputs(group: Group): PropertyBag {
  return { arn: group.Arn, name: group.GroupName, path: group.Path, uniqueId: group.GroupId };
}

export function groupHandler(iam: IAMClient): ResourceHandler {
  const getGroup = (groupName: string) => unlessMissing(async () => (await iam.send(new GetGroupCommand({ GroupName: groupName }))).Group);

  const readOutputs = async (groupName: string) => {
    const group = await getGroup(groupName);
    if (!group) throw new Error(`IAM group ${groupName} vanished right after it was written`);
    return groupOutputs(group);
  };

  return {
    check(olds, news, context) {
      const inputs = applyDefaults(news, {
        name: news.name === undefined ? autoNameFor(olds, context.name) : undefined,
        path: "/",
      });
      const failures = [
        ...unsupportedInputs(news, ["name", "path"]),
        ...missingRequired(inputs, ["name"]),
        ...patternFailure(
          inputs,
          "name",
          GROUP_NAME,
          "must only contain alphanumeric characters, hyphens, underscores, commas, periods, @ symbols, plus and equals signs",
        ),
      ];
      return { inputs, failures };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const groupName = inputs.name as string;
      await iam.send(new CreateGroupCommand({ GroupName: groupName, Path: inputs.path as string }));
      return { id: groupName, outs: await readOutputs(groupName) };
    },

    async read(id, props, context) {
      // Pulumi cannot change an id on update, so after a rename the name output addresses the group.
      const group = await getGroup((props.name as string | undefined) ?? id);
      if (!group) return { id: "" };
      const outs = groupOutputs(group);
      const inputs: PropertyBag = {
        name: outs.name,
        path: outs.path,
        [DEFAULTS_KEY]: looksAutoNamed(context.name, outs.name) ? ["name"] : [],
      };
      return { id, props: outs, inputs };
    },

    async update(id, olds, news) {
      const currentName = (olds.name as string | undefined) ?? id;
      const newName = news.name as string;
      // terraform always sends the name; moto refuses an unchanged one as taken, so only a new one goes.
      const rename = currentName === newName ? {} : { NewGroupName: newName };
      await iam.send(new UpdateGroupCommand({ GroupName: currentName, ...rename, NewPath: news.path as string }));
      return readOutputs(newName);
    },

    async delete(id, props) {
      // As terraform: members and attached policies are other resources, deleted before the group.
      await unlessMissing(() => iam.send(new DeleteGroupCommand({ GroupName: (props.name as string | undefined) ?? id })));
    },
  };
}
