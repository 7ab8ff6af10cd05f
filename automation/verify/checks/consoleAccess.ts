import { GetLoginProfileCommand } from "@aws-sdk/client-iam";
import { isAwsError } from "../../aws/errors";
import { fail, pass, type Check } from "./check";

/** The backend user is programmatic-only: a console password is an unused way in. */
export const consoleAccess: Check = {
  id: "no-console-access",
  title: "No console password (programmatic-only user)",
  async run(context, signal) {
    try {
      const { LoginProfile } = await context.admin.iam.send(
        new GetLoginProfileCommand({ UserName: context.input.userName }),
        { abortSignal: signal },
      );
      const since = LoginProfile?.CreateDate?.toISOString() ?? "an unknown date";
      return fail(`user has a console password (login profile since ${since}); delete it`);
    } catch (error) {
      if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return pass("no login profile");
      throw error;
    }
  },
};
