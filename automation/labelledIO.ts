import type { CommandIO } from "./context";

/** A CommandIO whose buffered partial lines can be written out once its writer is done. */
export interface LabelledIO extends CommandIO {
  /** Writes what is left of an unfinished line. */
  flush(): void;
}

/**
 * Prefixes every line with its stack's label, so stacks provisioned at once stay readable: the
 * engine writes chunks that may end mid-line, so each stream keeps its unfinished line until the
 * newline (or `flush`) arrives, and whole lines never interleave with another stack's.
 */
export function labelledIO(io: CommandIO, label: string): LabelledIO {
  const prefixer = (write: (text: string) => void) => {
    let pending = "";
    return {
      write(text: string) {
        const lines = (pending + text).split("\n");
        pending = lines.pop()!;
        if (lines.length > 0) write(lines.map((line) => `${label} ${line}\n`).join(""));
      },
      flush() {
        if (pending) write(`${label} ${pending}\n`);
        pending = "";
      },
    };
  };
  const progress = prefixer((text) => io.progress(text));
  const report = prefixer((text) => io.report(text));
  return {
    progress: progress.write,
    report: report.write,
    color: io.color,
    flush() {
      progress.flush();
      report.flush();
    },
  };
}
