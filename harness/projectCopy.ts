import { cp, mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../automation/projectPaths";

/** The project files `pulumi up` needs, copied so tests can change stack config freely. */
const PROJECT_ENTRIES = [
  "Pulumi.yaml",
  "Pulumi.local.yaml",
  "Pulumi.dev.yaml",
  "Pulumi.staging.yaml",
  "Pulumi.prod.yaml",
  "package.json",
  "tsconfig.json",
  "infra",
];

export interface ProjectCopy {
  /** The copied project: the Pulumi CLI's working directory for it. */
  readonly dir: string;
  /** Empty directory for the file backend. */
  readonly stateDir: string;
  remove(): Promise<void>;
}

/**
 * Copies the Pulumi project into a temporary directory that shares the repository's node_modules and
 * build, for runs that must not touch the repository's own stack files or sandbox state (the tests,
 * the bench, which may copy another checkout of this repository to measure it). Harness, not product:
 * nothing the build ships imports it.
 */
export async function copyProject(repository: string = REPO_ROOT): Promise<ProjectCopy> {
  const root = await mkdtemp(path.join(tmpdir(), "talentbase-iam-e2e-"));
  const dir = path.join(root, "project");
  const stateDir = path.join(root, "state");
  await mkdir(dir);
  await mkdir(stateDir);
  for (const entry of PROJECT_ENTRIES) {
    await cp(path.join(repository, entry), path.join(dir, entry), { recursive: true });
  }
  // Shared, not copied: the installed packages, and the loader of the compiled program (build/), which
  // resolves to the repository's own dist/ through the link.
  for (const shared of ["node_modules", "build"]) await symlink(path.join(repository, shared), path.join(dir, shared));
  return { dir, stateDir, remove: () => rm(root, { recursive: true, force: true }) };
}

/** A project copy and the variables that point the commands at it (its files, its file backend). */
export async function copyProjectWithEnv(repository: string = REPO_ROOT): Promise<ProjectCopy & { env: Record<string, string> }> {
  const project = await copyProject(repository);
  return { ...project, env: { TALENTBASE_IAM_PROJECT_DIR: project.dir, TALENTBASE_IAM_STATE_DIR: project.stateDir } };
}

/** Every file of a file backend's stack state, for scanning it for plaintext secrets. */
export async function stateFiles(stateDir: string): Promise<string[]> {
  const entries = await readdir(stateDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".json")).map((entry) => path.join(entry.parentPath, entry.name));
}
