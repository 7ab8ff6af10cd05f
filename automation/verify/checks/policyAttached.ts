import { fail, pass, type Check } from "./check";

export const policyAttached: Check = {
  id: "policy-attached",
  title: "Stack policy is attached to the user",
  async run(context) {
    const attached = await context.attachedPolicies();
    const { policyArn, userName } = context.input;
    if (attached.some((policy) => policy.PolicyArn === policyArn)) return pass(`${policyArn} attached to ${userName}`);
    const others = attached.map((policy) => policy.PolicyName).join(", ") || "none";
    return fail(`${policyArn} is not attached to ${userName} (attached: ${others})`);
  },
};
