/** The stacks this project deploys; the stack name is the environment. `local` is the moto sandbox. */
export const ENVIRONMENTS = ["dev", "staging", "prod", "local"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export function isEnvironment(name: string): name is Environment {
  return (ENVIRONMENTS as readonly string[]).includes(name);
}
