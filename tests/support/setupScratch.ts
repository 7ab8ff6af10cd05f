import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../automation/projectPaths";
import { isolatedEnv } from "../../harness/isolatedEnv";

const { buildIsCurrent } = require(path.join(REPO_ROOT, "build", "loadCompiled.cjs")) as { buildIsCurrent(): boolean };

export interface SetupRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SetupScratch {
  /** The scratch checkout: scripts/setup.sh copied, everything else it reads linked to this repository. */
  readonly dir: string;
  /** An empty PULUMI_HOME: nothing built, no login. */
  readonly pulumiHome: string;
  /** Runs the scratch checkout's setup.sh with exactly this PATH and the scratch PULUMI_HOME. */
  setup(args: readonly string[], pathDirs: readonly string[]): Promise<SetupRun>;
  remove(): Promise<void>;
}

/**
 * A checkout for running setup.sh against a machine the test makes up (which pulumi, go and python3
 * are on PATH), whose own .venv is the repository's (`venv: "shared"`) or none yet (`"none"`). Setup
 * finds it up to date but for what the test changes; the npm dependencies and the build are this
 * repository's, so the build must be current first.
 */
export async function setupScratch(options: { venv: "shared" | "none" }): Promise<SetupScratch> {
  if (!buildIsCurrent()) await promisify(execFile)("npm", ["run", "build", "--silent"], { cwd: REPO_ROOT });
  const root = await mkdtemp(path.join(tmpdir(), "talentbase-iam-setup-"));
  const dir = path.join(root, "checkout");
  const pulumiHome = path.join(root, "pulumi-home");
  await mkdir(path.join(dir, "scripts"), { recursive: true });
  await copyFile(path.join(REPO_ROOT, "scripts", "setup.sh"), path.join(dir, "scripts", "setup.sh"));
  const shared = ["automation", "build", "node_modules", "package-lock.json", "sandbox", "tests", "tools", ...(options.venv === "shared" ? [".venv"] : [])];
  for (const entry of shared) await symlink(path.join(REPO_ROOT, entry), path.join(dir, entry));
  return {
    dir,
    pulumiHome,
    setup: (args, pathDirs) =>
      promisify(execFile)("bash", [path.join(dir, "scripts", "setup.sh"), ...args], {
        env: isolatedEnv({ PATH: pathDirs.join(path.delimiter), PULUMI_HOME: pulumiHome }),
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      ),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
