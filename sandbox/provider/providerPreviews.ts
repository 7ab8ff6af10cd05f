import * as grpc from "@grpc/grpc-js";
import { CreateResponse, UpdateResponse } from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

interface PreviewableRequest {
  getPreview(): boolean;
  getOlds?(): Struct | undefined;
  getNews?(): Struct | undefined;
  getProperties?(): Struct | undefined;
}
type UnaryCall = { request: PreviewableRequest };
type Callback = (error: unknown, response?: unknown) => void;
type Handler = (call: UnaryCall, callback: Callback) => unknown;

/**
 * Gives the provider previews the way pulumi-resource-aws has them (the Node provider SDK has
 * none). Without them the engine takes an updated resource's new inputs as its preview outputs, so
 * every computed output (a policy's ARN) turns unknown and dependents show as replaced although the
 * update keeps them. With previews announced, a previewed update answers its planned state: the old
 * outputs with the new inputs laid over them; a previewed create answers its inputs. Neither calls AWS.
 */
export function answerPreviewsWithPlannedState(): void {
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    return addService.call(this, service, withPreviews(implementation as unknown as Record<string, Handler>) as never);
  };
}

function withPreviews(implementation: Record<string, Handler>): Record<string, Handler> {
  const { configure, create, update } = implementation;
  if (!configure || !create || !update) return implementation;
  return Object.assign(Object.create(implementation) as Record<string, Handler>, {
    configure: (call: UnaryCall, callback: Callback) =>
      configure.call(implementation, call, (error: unknown, response?: unknown) => {
        (response as { setSupportspreview?: (on: boolean) => void } | undefined)?.setSupportspreview?.(true);
        callback(error, response);
      }),
    create: (call: UnaryCall, callback: Callback) => {
      if (!call.request.getPreview()) return create.call(implementation, call, callback);
      const response = new CreateResponse();
      const properties = call.request.getProperties?.();
      if (properties) response.setProperties(properties);
      callback(null, response);
    },
    update: (call: UnaryCall, callback: Callback) => {
      if (!call.request.getPreview()) return update.call(implementation, call, callback);
      const planned = { ...(call.request.getOlds?.()?.toJavaScript() ?? {}), ...(call.request.getNews?.()?.toJavaScript() ?? {}) };
      const response = new UpdateResponse();
      response.setProperties(Struct.fromJavaScript(planned as never));
      callback(null, response);
    },
  });
}
