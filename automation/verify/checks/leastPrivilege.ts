import { describeRequest } from "../policy/accessRequests";
import { evaluatorLabel } from "../policy/evaluation";
import { userAccess } from "../policy/userAccess";
import { fail, pass, type Check } from "./check";

/** How many offending requests a one-line detail names before summarising the rest. */
const NAMED_VIOLATIONS = 4;

export const leastPrivilege: Check = {
  id: "least-privilege",
  title: "Least privilege (evaluated): required allowed, bucket admin, public ACLs and IAM denied",
  async run(context) {
    const { requests, evaluation } = await userAccess(context);
    const notAllowed = requests.required.filter((request) => evaluation.decisionOf(request) !== "allowed");
    const notDenied = requests.forbidden.filter((request) => evaluation.decisionOf(request) === "allowed");
    const violations = [
      ...notAllowed.map((request) => `${describeRequest(request)} not allowed`),
      ...notDenied.map((request) => `${describeRequest(request)} allowed`),
    ];
    const by = evaluatorLabel(evaluation);
    if (violations.length === 0) {
      return pass(`${requests.required.length} required requests allowed, ${requests.forbidden.length} forbidden denied (${by})`);
    }
    const named = violations.slice(0, NAMED_VIOLATIONS).join("; ");
    const more = violations.length > NAMED_VIOLATIONS ? `; and ${violations.length - NAMED_VIOLATIONS} more` : "";
    return fail(`${named}${more} (${by})`);
  },
};
