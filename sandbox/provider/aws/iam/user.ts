import {
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeactivateMFADeviceCommand,
  GetUserCommand,
  PutUserPermissionsBoundaryCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateUserCommand,
  paginateListAccessKeys,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  type IAMClient,
  type User,
} from "@aws-sdk/client-iam";
import { applyDefaults, autoNameFor, missingRequired, patternFailure, DEFAULTS_KEY } from "../../checkInputs";
import { looksAutoNamed } from "../../naming";
import { diffInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import type { PropertyBag } from "../../wireValues";
import { unlessMissing } from "../errors";
import { fromIamTags, tagChanges, toIamTags } from "../tags";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const USER_TYPE = RESOURCE_TYPES.user;

// terraform's aws_iam_user: nothing forces a new user; a rename is UpdateUser.
const RULES: DiffRules = {
  replaceOn: [],
  updateInPlace: ["name", "path", "permissionsBoundary", "forceDestroy", "tags"],
};

const USER_NAME = /^[0-9A-Za-z=,.@\-_+]+$/;

function userOutputs(user: User, inputs: PropertyBag): PropertyBag {
  const tags = fromIamTags(user.Tags);
  return {
    arn: user.Arn,
    name: user.UserName,
    path: user.Path,
    // moto never reports a user's boundary; fall back to what we asked for rather than invent drift.
    permissionsBoundary: user.PermissionsBoundary?.PermissionsBoundaryArn ?? inputs.permissionsBoundary,
    forceDestroy: inputs.forceDestroy ?? false,
    tags,
    tagsAll: tags,
    uniqueId: user.UserId,
  };
}

/** Everything IAM refuses to delete a user over; terraform removes these only with forceDestroy. */
async function removeUserCredentials(iam: IAMClient, userName: string): Promise<void> {
  for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
    for (const key of page.AccessKeyMetadata ?? []) {
      await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId }));
    }
  }
  for await (const page of paginateListSSHPublicKeys({ client: iam }, { UserName: userName })) {
    for (const key of page.SSHPublicKeys ?? []) {
      await iam.send(new DeleteSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyId: key.SSHPublicKeyId }));
    }
  }
  for await (const page of paginateListMFADevices({ client: iam }, { UserName: userName })) {
    for (const device of page.MFADevices ?? []) {
      await iam.send(new DeactivateMFADeviceCommand({ UserName: userName, SerialNumber: device.SerialNumber }));
    }
  }
  await unlessMissing(() => iam.send(new DeleteLoginProfileCommand({ UserName: userName })));
  for await (const page of paginateListSigningCertificates({ client: iam }, { UserName: userName })) {
    for (const certificate of page.Certificates ?? []) {
      await iam.send(new DeleteSigningCertificateCommand({ UserName: userName, CertificateId: certificate.CertificateId }));
    }
  }
}

async function removeFromGroups(iam: IAMClient, userName: string): Promise<void> {
  for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
    for (const group of page.Groups ?? []) {
      await iam.send(new RemoveUserFromGroupCommand({ UserName: userName, GroupName: group.GroupName }));
    }
  }
}

export function userHandler(iam: IAMClient): ResourceHandler {
  const getUser = (userName: string) => unlessMissing(async () => (await iam.send(new GetUserCommand({ UserName: userName }))).User);

  const readOutputs = async (userName: string, inputs: PropertyBag) => {
    const user = await getUser(userName);
    if (!user) throw new Error(`IAM user ${userName} vanished right after it was written`);
    return userOutputs(user, inputs);
  };

  return {
    check(olds, news, context) {
      const inputs = applyDefaults(news, {
        name: news.name === undefined ? autoNameFor(olds, context.name) : undefined,
        path: "/",
        forceDestroy: false,
      });
      const failures = [
        ...missingRequired(inputs, ["name"]),
        ...patternFailure(
          inputs,
          "name",
          USER_NAME,
          "must only contain alphanumeric characters, hyphens, underscores, commas, periods, @ symbols, plus and equals signs",
        ),
      ];
      return { inputs, failures };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const userName = inputs.name as string;
      await iam.send(
        new CreateUserCommand({
          UserName: userName,
          Path: inputs.path as string,
          PermissionsBoundary: (inputs.permissionsBoundary as string | undefined) || undefined,
          Tags: toIamTags(inputs.tags),
        }),
      );
      return { id: userName, outs: await readOutputs(userName, inputs) };
    },

    async read(id, props, context) {
      // Pulumi cannot change an id on update, so after a rename the name output addresses the user.
      const user = await getUser((props.name as string | undefined) ?? id);
      if (!user) return { id: "" };
      const outs = userOutputs(user, props);
      const inputs: PropertyBag = {
        name: outs.name,
        path: outs.path,
        permissionsBoundary: outs.permissionsBoundary,
        forceDestroy: outs.forceDestroy,
        tags: outs.tags,
        [DEFAULTS_KEY]: looksAutoNamed(context.name, outs.name) ? ["name"] : [],
      };
      return { id, props: outs, inputs };
    },

    async update(id, olds, news) {
      const currentName = (olds.name as string | undefined) ?? id;
      const newName = news.name as string;
      if (currentName !== newName || olds.path !== news.path) {
        await iam.send(new UpdateUserCommand({ UserName: currentName, NewUserName: newName, NewPath: news.path as string }));
      }
      if ((olds.permissionsBoundary ?? "") !== (news.permissionsBoundary ?? "")) {
        if (news.permissionsBoundary) {
          await iam.send(
            new PutUserPermissionsBoundaryCommand({
              UserName: newName,
              PermissionsBoundary: news.permissionsBoundary as string,
            }),
          );
        } else {
          await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: newName }));
        }
      }
      const { toSet, toRemove } = tagChanges(olds.tags, news.tags);
      if (toRemove.length > 0) await iam.send(new UntagUserCommand({ UserName: newName, TagKeys: toRemove }));
      if (toSet.length > 0) await iam.send(new TagUserCommand({ UserName: newName, Tags: toSet }));
      return readOutputs(newName, news);
    },

    async delete(id, props) {
      const userName = (props.name as string | undefined) ?? id;
      await unlessMissing(() => removeFromGroups(iam, userName));
      if (props.forceDestroy === true) await removeUserCredentials(iam, userName);
      await unlessMissing(() => iam.send(new DeleteUserCommand({ UserName: userName })));
    },
  };
}
