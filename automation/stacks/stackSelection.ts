import { ENVIRONMENTS, isEnvironment, type Environment } from "../../infra/config";
import { UsageError } from "../errors";

/** What `--all` deploys: the real environments, never the sandbox. */
export const ALL_REAL_STACKS: readonly Environment[] = ["dev", "staging", "prod"];

/** One stack named on the command line, checked against the stacks this project has. */
export function parseStackName(name: string): Environment {
  if (isEnvironment(name)) return name;
  throw new UsageError(`unknown stack "${name}": choose one of ${ENVIRONMENTS.join(", ")}`);
}

/** The stacks of one run, in the order given, each once; `--all` adds dev, staging and prod. */
export function parseStackSelection(names: readonly string[], all: boolean): Environment[] {
  const stacks = [...names.map(parseStackName), ...(all ? ALL_REAL_STACKS : [])];
  if (stacks.length === 0) {
    throw new UsageError(`name a stack (${ENVIRONMENTS.join(", ")}) or pass --all`);
  }
  return [...new Set(stacks)];
}
