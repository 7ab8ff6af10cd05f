import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { getPulumiCli } from "../../automation/toolchain/pulumiCli";
import type { KeyPair, SandboxAccount } from "../../harness/sandboxAccount";
import { sandboxEngineEnv } from "../../sandbox/sandboxEngine";
import { cleanEnv } from "./driverProcess";

/** `pulumi preview` and `pulumi up` with the plain CLI on the same project: both must find nothing to do. */
export async function plainCliFindsNoChanges(account: SandboxAccount, credentials?: KeyPair): Promise<void> {
  const cli = (await getPulumiCli()).command;
  const env = {
    ...cleanEnv(),
    ...sandboxEngineEnv({ motoEndpoint: account.moto.endpoint, stateDir: account.project.stateDir, ...(credentials ? { credentials } : {}) }),
  };
  const run = (...args: string[]) =>
    promisify(execFile)(cli, [...args, "--stack", "local", "--non-interactive", "--color", "never"], { cwd: account.project.dir, env });
  await run("preview", "--expect-no-changes");
  await run("up", "--yes", "--expect-no-changes");
}
