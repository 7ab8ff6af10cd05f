import { isAwsError } from "../../aws/errors";
import { fail, pass, type Check } from "./check";

export const userExists: Check = {
  id: "user-exists",
  title: "IAM user exists",
  async run(context) {
    try {
      const user = await context.user();
      return pass(`${user.UserName} (${user.Arn})`);
    } catch (error) {
      if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) {
        return fail(`user ${context.input.userName} does not exist`);
      }
      throw error;
    }
  },
};
