import { execFile } from "node:child_process";
import { chmod, copyFile, mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What the python3 on PATH is made of. */
interface PythonLayout {
  readonly executable: string;
  readonly version: string;
  readonly stdlib: string;
  readonly pip: string;
  /** The shared libpython the executable links against, when it does. */
  readonly sharedLibrary?: string;
}

async function layoutOf(python: string): Promise<PythonLayout> {
  const { stdout } = await run(python, [
    "-c",
    [
      "import json, os, sys, sysconfig, pip",
      "shared = sysconfig.get_config_var('Py_ENABLE_SHARED') and os.path.join(sysconfig.get_config_var('LIBDIR'), sysconfig.get_config_var('INSTSONAME'))",
      "print(json.dumps({'executable': os.path.realpath(sys.executable), 'version': '%d.%d' % sys.version_info[:2], 'stdlib': sysconfig.get_path('stdlib'),",
      "  'pip': os.path.dirname(pip.__file__), 'sharedLibrary': shared or None}))",
    ].join("\n"),
  ]);
  const layout = JSON.parse(stdout) as PythonLayout & { sharedLibrary: string | null };
  return { ...layout, sharedLibrary: layout.sharedLibrary ?? undefined };
}

/**
 * A Python installation as PEP 668 distributions ship it (Debian 12+, Ubuntu 23.04+, Homebrew): its
 * stdlib holds an EXTERNALLY-MANAGED marker, so its own pip refuses to install anything outside a
 * virtualenv. Built in `dir` from the python3 on PATH: the executable copied (a copy finds its prefix
 * here), the stdlib linked entry by entry, pip the only package. `ensurepip: false` leaves out what
 * Debian's python3-venv package adds, so `python3 -m venv` cannot work. Returns its bin directory.
 */
export async function externallyManagedPython(dir: string, options: { ensurepip: boolean }): Promise<string> {
  const layout = await layoutOf("python3");
  const bin = path.join(dir, "bin");
  const stdlib = path.join(dir, "lib", `python${layout.version}`);
  await mkdir(bin, { recursive: true });
  await mkdir(stdlib, { recursive: true });
  await copyFile(layout.executable, path.join(bin, "python3"));
  await chmod(path.join(bin, "python3"), 0o755);
  if (layout.sharedLibrary) await symlink(layout.sharedLibrary, path.join(dir, "lib", path.basename(layout.sharedLibrary)));
  const leftOut = new Set(["site-packages", "EXTERNALLY-MANAGED", ...(options.ensurepip ? [] : ["ensurepip"])]);
  for (const entry of await readdir(layout.stdlib)) {
    if (!leftOut.has(entry)) await symlink(path.join(layout.stdlib, entry), path.join(stdlib, entry));
  }
  await writeFile(path.join(stdlib, "EXTERNALLY-MANAGED"), "[externally-managed]\nError=This Python is managed by the system (a PEP 668 test interpreter).\n");
  const { stdout } = await run(path.join(bin, "python3"), ["-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]);
  const sitePackages = stdout.trim();
  await mkdir(sitePackages, { recursive: true });
  await symlink(layout.pip, path.join(sitePackages, "pip"));
  return bin;
}
