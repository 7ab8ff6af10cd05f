import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { isIP } from "node:net";
import path from "node:path";
import { isLoopbackHost } from "../loopback";
import { createInterface } from "node:readline";
import { projectPython } from "../projectPython";
import { sourceDirOf } from "../sourceDir";

/** Credentials moto accepts while IAM enforcement is off (any non-empty pair works). */
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;
export const MOTO_REGION = "us-east-1";

export interface MotoServer {
  /** Base URL, e.g. http://127.0.0.1:41325, for AWS_ENDPOINT_URL or a client's `endpoint`. */
  endpoint: string;
  port: number;
  /** Wipes every resource in every service (the auth setting survives, as in moto). */
  reset(): Promise<void>;
  /** On: every request must be signed by a moto-made key and is checked against its policies. */
  setAuthEnforcement(on: boolean): Promise<void>;
  /** Writes the state to the stateFile given at start now, not only at stop. */
  saveState(): Promise<void>;
  /** Moves a key's creation date `days` into the past; no AWS API can do this. */
  ageAccessKey(userName: string, accessKeyId: string, days: number): Promise<void>;
  /** Moves a key's last use `days` into the past (it must have been used); no AWS API can do this either. */
  ageAccessKeyLastUse(userName: string, accessKeyId: string, days: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Loopback address to bind; anything else is refused. Default 127.0.0.1. */
  host?: string;
  /** Python interpreter with moto installed. Default: the project's .venv (projectPython.ts). */
  python?: string;
  /** How long to wait for the server to listen (slow CI machines need more). */
  readyTimeoutMs?: number;
  /** Keep the state of the services the stacks use in this file across runs: loaded at start, saved at stop (mode 0600). */
  stateFile?: string;
  /**
   * Stop moto when this process gets SIGINT, SIGTERM or SIGHUP (default). A program that handles
   * those signals itself, and stops moto once its work has wound down, passes false.
   */
  stopOnSignal?: boolean;
}

interface ControlReply {
  id?: number;
  ok?: boolean;
  error?: string;
  event?: string;
  port?: number;
}

const WRAPPER = path.join(sourceDirOf(__dirname), "moto_server.py");
const INSTALL_HINT = "run `npm run setup`, which makes the project's Python environment .venv with moto";

/** How long a server may take to save its state and exit after its parent got a signal. */
const GRACEFUL_STOP_MS = 5_000;

const liveServers = new Set<ChildProcessWithoutNullStreams>();
let exitHooksInstalled = false;
let signalHooksInstalled = false;

async function postMotoApi(endpoint: string, route: string, body?: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/${route}`, { method: "POST", body });
  if (!response.ok) {
    throw new Error(`moto ${route} failed: HTTP ${response.status} ${await response.text()}`);
  }
}

/**
 * Turns IAM enforcement on or off for the moto at `endpoint`, also one this process did not start (the
 * sandbox's). On: every request must then be signed by a moto-made key and is checked against its policies.
 */
export function setMotoAuthEnforcement(endpoint: string, on: boolean): Promise<void> {
  return postMotoApi(endpoint, "reset-auth", on ? "0" : "inf");
}

/** Starts an isolated moto on a free loopback port and resolves once it accepts requests. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackHost(host)) {
    throw new Error(`refusing to start moto on non-loopback address ${host}`);
  }
  installExitHooks(options.stopOnSignal ?? true);

  // A process group of its own: a Ctrl-C at the terminal reaches our process, which decides when
  // moto stops, not moto directly (it would vanish under an engine that is still cancelling).
  const child = spawn(
    options.python ?? projectPython(),
    [WRAPPER, "--host", host, "--port", "0", ...(options.stateFile ? ["--state-file", options.stateFile] : [])],
    {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, PYTHONUNBUFFERED: "1" },
      detached: true,
    },
  );
  liveServers.add(child);
  child.once("exit", () => liveServers.delete(child));

  const stderrTail: string[] = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
  });

  const pending = new Map<number, { resolve: (reply: ControlReply) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let readyResolve!: (port: number) => void;
  let readyReject!: (error: Error) => void;
  const ready = new Promise<number>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  ready.catch(() => undefined); // a late failure after a timeout is already reported by the race

  createInterface({ input: child.stdout }).on("line", (line) => {
    let message: ControlReply;
    try {
      message = JSON.parse(line) as ControlReply;
    } catch {
      return; // stray library output on stdout is not part of the protocol
    }
    if (message.event === "ready" && typeof message.port === "number") {
      readyResolve(message.port);
      return;
    }
    if (typeof message.id === "number") {
      pending.get(message.id)?.resolve(message);
      pending.delete(message.id);
    }
  });

  const describeExit = (code: number | null, signal: string | null) =>
    new Error(`moto exited (code ${code}, signal ${signal}); ${INSTALL_HINT}\n${stderrTail.join("\n")}`.trimEnd());
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      const error = describeExit(code, signal);
      readyReject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
      resolve();
    });
  });
  child.once("error", (error) => {
    readyReject(new Error(`cannot run ${WRAPPER}: ${error.message}; ${INSTALL_HINT}`));
  });

  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  let readyTimer: NodeJS.Timeout | undefined;
  let port: number;
  try {
    port = await Promise.race([
      ready,
      new Promise<never>((_, reject) => {
        readyTimer = setTimeout(() => reject(new Error(`moto did not start within ${readyTimeoutMs} ms\n${stderrTail.join("\n")}`)), readyTimeoutMs);
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  } finally {
    clearTimeout(readyTimer);
  }

  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  const endpoint = `http://${urlHost}:${port}`;

  const control = (op: string, fields: Record<string, unknown>): Promise<ControlReply> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error("moto is not running"));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });

  let stopping: Promise<void> | undefined;

  return {
    endpoint,
    port,
    reset: () => postMotoApi(endpoint, "reset"),
    setAuthEnforcement: (on) => setMotoAuthEnforcement(endpoint, on),
    async ageAccessKey(userName, accessKeyId, days) {
      const reply = await control("ageAccessKey", { userName, accessKeyId, days });
      if (!reply.ok) throw new Error(`moto could not age key ${accessKeyId}: ${reply.error}`);
    },
    async ageAccessKeyLastUse(userName, accessKeyId, days) {
      const reply = await control("ageAccessKeyLastUse", { userName, accessKeyId, days });
      if (!reply.ok) throw new Error(`moto could not age the last use of key ${accessKeyId}: ${reply.error}`);
    },
    async saveState() {
      const reply = await control("save", {});
      if (!reply.ok) throw new Error(`moto could not save its state: ${reply.error}`);
    },
    stop() {
      stopping ??= (async () => {
        child.stdin.end(); // the wrapper exits when its control channel closes
        const killTimer = setTimeout(() => child.kill("SIGKILL"), GRACEFUL_STOP_MS);
        await exited;
        clearTimeout(killTimer);
      })();
      return stopping;
    },
  };
}

/**
 * Ends servers still running when the process ends, however it ends. On a signal each server first
 * gets its control channel closed, so it saves its state file and exits by itself; only one that has
 * not exited within a few seconds is killed.
 */
function installExitHooks(stopOnSignal: boolean): void {
  const killAll = () => {
    for (const child of liveServers) child.kill("SIGKILL");
  };
  if (!exitHooksInstalled) process.once("exit", killAll);
  exitHooksInstalled = true;
  if (!stopOnSignal || signalHooksInstalled) return;
  signalHooksInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      const exits = [...liveServers].map(
        (child) =>
          new Promise((resolve) => {
            child.once("exit", resolve);
            child.stdin.end();
          }),
      );
      const deadline = setTimeout(killAll, GRACEFUL_STOP_MS);
      void Promise.all(exits).then(() => {
        clearTimeout(deadline);
        // Re-raise so the process still ends with the signal's usual outcome.
        process.kill(process.pid, signal);
      });
    });
  }
}
