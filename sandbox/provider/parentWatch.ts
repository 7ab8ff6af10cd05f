const POLL_MS = 1_000;

/**
 * Ends the plugin once the engine that started it is gone (this process was re-parented). A killed
 * engine cannot stop its plugins, and an orphaned plugin would wait for calls forever.
 */
export function exitWithEngine(): void {
  const engine = process.ppid;
  setInterval(() => {
    if (process.ppid !== engine) process.exit(1);
  }, POLL_MS).unref();
}
