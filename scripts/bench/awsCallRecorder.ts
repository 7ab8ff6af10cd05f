import { createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One AWS API call as it crossed the wire, enough to name it and to send it again. */
export interface RecordedCall {
  /** iam, sts, s3, secretsmanager, ... (from the signature's credential scope). */
  readonly service: string;
  /** GetUser, ListObjectsV2-ish "GET /bucket", ... */
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Base64 of the request body. */
  readonly body: string;
  /** Milliseconds since the recorder started: when the call began and when its answer ended. */
  readonly start: number;
  readonly end: number;
}

export interface AwsCallRecorder {
  /** Point AWS_ENDPOINT_URL here: every call is forwarded to the real endpoint and recorded. */
  readonly endpoint: string;
  /** The calls since the last `take` (and forgets them). */
  take(): RecordedCall[];
  stop(): Promise<void>;
}

function serviceOf(headers: IncomingHttpHeaders): string {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(headers["authorization"] ?? ""));
  return scope?.[1] ?? "unsigned";
}

function actionOf(service: string, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): string {
  const target = headers["x-amz-target"];
  if (typeof target === "string") return target.split(".").pop() ?? target;
  const form = new URLSearchParams(body.toString("utf8")).get("Action") ?? new URL(path, "http://x").searchParams.get("Action");
  if (form) return form;
  if (service === "s3") return `${method} ${path.split("?")[0]!.split("/").length > 2 ? "object" : "bucket"}`;
  return `${method} ${path}`;
}

/**
 * A loopback proxy in front of moto that records every AWS call: how the bench counts a command's
 * calls, and what the floor process sends again.
 */
export async function startAwsCallRecorder(target: string): Promise<AwsCallRecorder> {
  const upstream = new URL(target);
  const started = performance.now();
  let calls: RecordedCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const start = performance.now() - started;
      const forwarded = request(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          answer.on("end", () => {
            const service = serviceOf(incoming.headers);
            const headers = Object.fromEntries(Object.entries(incoming.headers).map(([name, value]) => [name, String(value)]));
            calls.push({
              service,
              action: actionOf(service, incoming.method ?? "GET", incoming.url ?? "/", incoming.headers, body),
              method: incoming.method ?? "GET",
              path: incoming.url ?? "/",
              headers,
              body: body.toString("base64"),
              start,
              end: performance.now() - started,
            });
          });
        },
      );
      forwarded.on("error", () => {
        outgoing.writeHead(502);
        outgoing.end();
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take() {
      const taken = calls;
      calls = [];
      return taken;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
