import { setMaxListeners } from "node:events";
import { engineProcessesGone, liveEngineRuns } from "../toolchain/engineProcesses";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Ctrl-C, SIGTERM and a closed terminal, turned into one AbortSignal for the running command. */
export interface Interrupts {
  readonly signal: AbortSignal;
  /** Resolves when no engine process of ours is left; call before exiting after an interrupt. */
  settled(): Promise<void>;
  dispose(): void;
}

/**
 * The first signal cancels: the running engine operation gets a graceful cancel (it finishes its
 * current step, writes its state and releases the lock) and the command stops between steps. Later
 * signals only say that cancelling is still under way: exiting before the engine stops is what
 * leaves a stack locked and half-changed.
 */
export function handleInterrupts(write: (text: string) => void): Interrupts {
  const controller = new AbortController();
  // Every running check and engine call listens on this one signal.
  setMaxListeners(0, controller.signal);
  let received = 0;
  const onSignal = () => {
    received += 1;
    const engineRunning = liveEngineRuns() > 0;
    if (received === 1) {
      write(
        engineRunning
          ? "\nInterrupted: cancelling the engine operation; it finishes its current step, saves the stack's state and releases its lock...\n"
          : "\nInterrupted: stopping...\n",
      );
      controller.abort();
    } else {
      write(engineRunning ? "Still cancelling: waiting for the engine to stop, so the stack is not left locked or half-changed...\n" : "Still stopping...\n");
    }
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    settled: engineProcessesGone,
    dispose: () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    },
  };
}
