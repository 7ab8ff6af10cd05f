/** The values some command options accept: the CLI offers them without loading the commands. */
export const OUTPUT_FORMATS = ["json", "env"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const ROTATE_ACTIONS = ["start", "finish", "reactivate", "emergency", "status", "auto"] as const;
export type RotateAction = (typeof ROTATE_ACTIONS)[number];
