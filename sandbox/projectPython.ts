import * as path from "node:path";
import { sourceDirOf } from "./sourceDir";

/** The project's virtualenv, which scripts/setup.sh makes with moto and the Django suite's pins. */
export const PROJECT_VENV = path.join(path.dirname(sourceDirOf(__dirname)), ".venv");

/**
 * The Python that runs moto and the Django consumer suite: the project's .venv (never the user's own
 * python3, which setup installs nothing into), or $MOTO_PYTHON when set to another interpreter with them.
 */
export function projectPython(env: NodeJS.ProcessEnv = process.env): string {
  return env["MOTO_PYTHON"] || path.join(PROJECT_VENV, "bin", "python");
}
