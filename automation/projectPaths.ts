import { existsSync } from "node:fs";
import * as path from "node:path";

/** The nearest directory above `start` holding Pulumi.yaml: the repository, from source or from dist/. */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${start}`);
  }
}

/** The repository: the Pulumi project, the tools module and the sandbox live here. */
export const REPO_ROOT = findRepoRoot(__dirname);

/** Where the driver finds the Pulumi project and keeps the sandbox's state. */
export interface ProjectPaths {
  /** The Pulumi project (Pulumi.yaml and the Pulumi.<stack>.yaml files): LocalWorkspace's workDir. */
  readonly projectDir: string;
  /** The sandbox's private directory (gitignored): `<projectDir>/.sandbox`. */
  readonly sandboxDir: string;
  /** File backend of the `local` stack. */
  readonly localStateDir: string;
  /** moto's saved IAM, S3 and Secrets Manager objects, so a second sandbox run finds what the first one made. */
  readonly motoStateFile: string;
}

/**
 * The repository by default. TALENTBASE_IAM_PROJECT_DIR points the commands at another copy of the
 * project and TALENTBASE_IAM_STATE_DIR at another file backend for `local` (tests use both, so they
 * never touch the repository's own Pulumi.local.yaml or .sandbox).
 */
export function resolveProjectPaths(env: NodeJS.ProcessEnv = process.env): ProjectPaths {
  const projectDir = path.resolve(env["TALENTBASE_IAM_PROJECT_DIR"] || REPO_ROOT);
  const sandboxDir = path.join(projectDir, ".sandbox");
  return {
    projectDir,
    sandboxDir,
    localStateDir: path.resolve(env["TALENTBASE_IAM_STATE_DIR"] || path.join(sandboxDir, "state")),
    motoStateFile: path.join(sandboxDir, "moto-state.pickle"),
  };
}
