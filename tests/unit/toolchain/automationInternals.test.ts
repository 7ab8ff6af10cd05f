import { expect } from "chai";
import { CommandError, ConcurrentUpdateError, StackAlreadyExistsError, StackNotFoundError } from "@pulumi/pulumi/automation/errors";

/**
 * What the engine runner (automation/toolchain) takes from @pulumi/pulumi beyond its public API: the
 * Automation API's result and error constructors, and the gRPC service its event server implements.
 * An SDK bump that changes any of them fails here, by name, before an end-to-end test fails obscurely.
 */
describe("the Automation API internals the engine runner relies on", () => {
  const { CommandResult } = require("@pulumi/pulumi/automation/cmd") as {
    CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => unknown;
  };
  const { createCommandError } = require("@pulumi/pulumi/automation/errors") as { createCommandError: (result: unknown) => Error };
  const failure = (stderr: string) => createCommandError(new CommandResult("", stderr, 255));

  it("automation/cmd's CommandResult keeps a run's output and code, as the typed errors read them", () => {
    const result = new CommandResult("out", "err", 3) as { stdout: string; stderr: string; code: number };
    expect([result.stdout, result.stderr, result.code]).to.deep.equal(["out", "err", 3]);
  });

  it("automation/errors' createCommandError turns the CLI's stderr into the typed errors the driver branches on", () => {
    expect(failure("error: no stack named 'dev' found")).to.be.instanceOf(StackNotFoundError);
    expect(failure("error: stack 'dev' already exists")).to.be.instanceOf(StackAlreadyExistsError);
    expect(failure("error: [409] Conflict: Another update is currently in progress.")).to.be.instanceOf(ConcurrentUpdateError);
    expect(
      failure("error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`."),
    ).to.be.instanceOf(ConcurrentUpdateError);
    const other = failure("error: update failed");
    expect(other).to.be.instanceOf(CommandError).and.not.to.be.instanceOf(ConcurrentUpdateError);
    expect(
      (other as unknown as { commandResult: { stderr: string } }).commandResult.stderr,
      "the engine's output, for --debug and the known-failure phrases",
    ).to.equal("error: update failed");
  });

  it("proto/events_grpc_pb serves pulumirpc.Events/StreamEvents, a client stream of JSON events", () => {
    const { EventsService } = require("@pulumi/pulumi/proto/events_grpc_pb") as {
      EventsService: Record<string, { path: string; requestStream: boolean; responseStream: boolean }>;
    };
    expect(EventsService["streamEvents"]).to.include({ path: "/pulumirpc.Events/StreamEvents", requestStream: true, responseStream: false });
    const { EventRequest } = require("@pulumi/pulumi/proto/events_pb") as { EventRequest: new () => { setEvent(text: string): void; getEvent(): string } };
    const request = new EventRequest();
    request.setEvent('{"summaryEvent":{}}');
    expect(request.getEvent()).to.equal('{"summaryEvent":{}}');
  });
});
