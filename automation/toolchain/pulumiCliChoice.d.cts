/** A `pulumi` found on PATH: where, what `pulumi version` printed (undefined: no answer), whether its language host is beside it. */
export interface PulumiOnPath {
  readonly command: string;
  readonly reported: string | undefined;
  readonly languageHost: boolean;
}

/** The pinned release and whether setup's build of it (CLI and language host) is in place. */
export interface PinnedPulumi {
  readonly version: string;
  readonly binDir: string;
  readonly installed: boolean;
}

export interface PulumiCliDecision {
  /** installed: the operator's pulumi on PATH; pinned: setup's build; build: setup must build it; refuse: neither. */
  readonly use: "installed" | "pinned" | "build" | "refuse";
  readonly command: string;
  readonly version: string;
  /** The one sentence that says which CLI is used, or why none can be. */
  readonly line: string;
}

export const SUPPORTED_PULUMI_RANGE: string;
export function decidePulumiCli(facts: { onPath: PulumiOnPath | undefined; pinned: PinnedPulumi; buildRequested?: boolean }): PulumiCliDecision;
export function choosePulumiCli(options?: { env?: NodeJS.ProcessEnv; buildRequested?: boolean }): Promise<PulumiCliDecision>;
export function pinnedBinDir(env?: NodeJS.ProcessEnv, version?: string): string;
