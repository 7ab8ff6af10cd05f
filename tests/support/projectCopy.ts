import { cp, mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../automation/projectPaths";

/** The project files `pulumi up` needs, copied so tests can change stack config freely. */
const PROJECT_ENTRIES = ["Pulumi.yaml", "Pulumi.local.yaml", "Pulumi.dev.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml", "package.json", "tsconfig.json", "infra"];

export interface ProjectCopy {
  /** workDir for LocalWorkspace: the copied project. */
  readonly dir: string;
  /** Empty directory for the file backend. */
  readonly stateDir: string;
  remove(): Promise<void>;
}

/** Copies the Pulumi project into a temporary directory that shares the repository's node_modules. */
export async function copyProject(): Promise<ProjectCopy> {
  const root = await mkdtemp(path.join(tmpdir(), "talentbase-iam-e2e-"));
  const dir = path.join(root, "project");
  const stateDir = path.join(root, "state");
  await mkdir(dir);
  await mkdir(stateDir);
  for (const entry of PROJECT_ENTRIES) {
    await cp(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  await symlink(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  return { dir, stateDir, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Every file of a file backend's stack state, for scanning it for plaintext secrets. */
export async function stateFiles(stateDir: string): Promise<string[]> {
  const entries = await readdir(stateDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".json")).map((entry) => path.join(entry.parentPath, entry.name));
}
