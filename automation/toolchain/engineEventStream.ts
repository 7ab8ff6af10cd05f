import type { ServerReadableStream, ServiceDefinition, sendUnaryData } from "@grpc/grpc-js";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";

/** The engine's events as the Automation API's own event server receives them (pulumirpc.Events). */
interface EventsProtocol {
  readonly grpc: typeof import("@grpc/grpc-js");
  readonly EventsService: ServiceDefinition;
  readonly EmptyMessage: new () => Empty;
}

/** Loaded on the first engine operation: commands that only read state do without gRPC. */
function eventsProtocol(): EventsProtocol {
  const { EventsService } = require("@pulumi/pulumi/proto/events_grpc_pb") as { EventsService: ServiceDefinition };
  const { Empty: EmptyMessage } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: EventsProtocol["EmptyMessage"] };
  return { grpc: require("@grpc/grpc-js") as typeof import("@grpc/grpc-js"), EventsService, EmptyMessage };
}

/** A loopback event server for one engine operation: pass `address` as the CLI's `--event-log`. */
export interface EngineEventStream {
  /** `tcp://127.0.0.1:<port>`, the form the CLI streams its events to instead of writing a file. */
  readonly address: string;
  close(): void;
}

/**
 * Receives the engine's event log over gRPC on loopback, as the Automation API does for CLIs after
 * v3.205, instead of the `--event-log` file: the engine's debug diagnostics quote resource outputs
 * with secret values in plaintext (the access key's secret among them), and a file holding them
 * outlives a killed run. Events exist only in this process's memory; `onEvent` sees each, parsed.
 * A run whose driver dies streams to nobody: the engine logs that and carries on.
 */
export async function openEngineEventStream(onEvent: (event: Record<string, unknown>) => void): Promise<EngineEventStream> {
  const { grpc, EventsService, EmptyMessage } = eventsProtocol();
  const server = new grpc.Server();
  server.addService(EventsService, {
    streamEvents(call: ServerReadableStream<{ getEvent(): string }, Empty>, callback: sendUnaryData<Empty>) {
      call.on("data", (request: { getEvent(): string }) => {
        try {
          onEvent(JSON.parse(request.getEvent()) as Record<string, unknown>);
        } catch {
          // A line that does not parse carries nothing the driver reads (it reads the summary only).
        }
      });
      call.on("end", () => callback(null, new EmptyMessage()));
      call.on("error", () => undefined);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `tcp://127.0.0.1:${port}`, close: () => server.forceShutdown() };
}
