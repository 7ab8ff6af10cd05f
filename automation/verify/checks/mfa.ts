import { fail, pass, warn, type Check } from "./check";

/** MFA guards console sign-in, not access-key API calls, so it is advisory unless the stack demands it. */
export const mfa: Check = {
  id: "mfa",
  title: "MFA device",
  async run(context) {
    const devices = await context.mfaDeviceCount();
    if (devices > 0) return pass(`${devices} MFA device(s)`);
    if (context.input.requireMfa) return fail("no MFA device, and the stack sets requireMfa");
    return warn("no MFA device (advisory: MFA does not protect access-key API calls; requireMfa is off)");
  },
};
