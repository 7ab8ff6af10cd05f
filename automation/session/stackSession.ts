import type { Environment, StackSettings } from "../../infra/config";
import type { AwsClients, AwsCredentials } from "../aws/clients";
import type { Secret } from "../secret";
import type { CommandContext } from "../context";
import { VerificationFailedError } from "../errors";
import { deployStack, runEngine, type Deployed, type DeployOptions } from "../engine/deploy";
import { secretValuesOf, toDeployedOutputs, type DeployedOutputs } from "../engine/deployedOutputs";
import type { DeploymentState } from "../engine/deploymentState";
import type { ChangeCounts } from "../engine/changeSummary";
import type { EngineOperation } from "../engine/stackCalls";
import { readDeployedOutputs, readState, readStateIfExists, stackTarget, type StackOutputsRead, type StackTarget } from "../engine/stackState";
import type { ImportIds } from "../../infra/imports";
import { adminClientsFor, type PreparedStack } from "../preflight/adminClients";
import { requireAwsCredentials, requireAwsEndpoint, requireSandboxEndpoint } from "../preflight/awsPreflight";
import { requireStateBackend } from "../preflight/backendPreflight";
import { asksBefore, requireWayToConfirmOperation, type StackOperation } from "../stacks/confirmations";
import { readStackSettings } from "../stacks/stackConfigFile";
import { profileOf, type StackProfile } from "../stacks/stackProfile";
import { parseStackName } from "../stacks/stackSelection";
import type { JsonReport } from "../verify/reports";
import type { VerificationReport } from "../verify/types";
import type { ComplianceReport } from "../compliance/assessCompliance";
import { verificationFailedMessage } from "./refreshHints";

/**
 * The checks, their SDK clients and the report renderers, loaded when a command verifies: a quarter of
 * a second of start-up that reading commands (outputs) do without.
 */
function loadVerification() {
  return {
    ...(require("./verifyStack") as typeof import("./verifyStack")),
    ...(require("../verify/reports") as typeof import("../verify/reports")),
  };
}

/** A stack whose name and config are valid and whose confirmation, if it needs one, can be given: no API call made. */
export interface CheckedStack {
  readonly stack: Environment;
  readonly settings: StackSettings;
  readonly profile: StackProfile;
  readonly operation: StackOperation;
  /** --yes: the operation's confirmation is given. */
  readonly yes: boolean;
  /** Where the engine reaches the stack (the endpoint as configured; the preflight then proves it answers). */
  readonly target: StackTarget;
}

export interface SessionOptions {
  readonly operation: StackOperation;
  readonly yes?: boolean;
  /** false for commands that only read the state: they make no AWS call, so no preflight either. */
  readonly reachesAws?: boolean;
  /** A refusal the config alone decides (destroy of a protected stack), made before any confirmation is asked for. */
  readonly refuse?: (stack: Environment, settings: StackSettings) => void;
}

/**
 * The first half of every command's preamble, with no API call: the stack's name, its config
 * through the program's own parser, and whether its confirmation can be asked (a terminal or --yes).
 */
export async function checkStackSession(name: string, context: CommandContext, options: SessionOptions): Promise<CheckedStack> {
  const stack = parseStackName(name);
  const settings = await readStackSettings(context.paths.projectDir, stack);
  const yes = options.yes ?? false;
  options.refuse?.(stack, settings);
  requireWayToConfirmOperation(options.operation, stack, yes, context.prompter);
  const target = await stackTarget(stack, context.paths, context.env["AWS_ENDPOINT_URL"] || undefined);
  return { stack, settings, profile: profileOf(stack), operation: options.operation, yes, target };
}

/**
 * The second half: the preflight the stack's profile calls for (moto's endpoint for the sandbox;
 * credentials, an endpoint that answers like AWS, the state bucket and KMS key for the real stacks),
 * then the session every command works through.
 */
export async function openCheckedSession(checked: CheckedStack, context: CommandContext, options: { reachesAws?: boolean } = {}): Promise<StackSession> {
  const { stack, settings, profile, target } = checked;
  const adminCredentials = profile.adminCredentials(context.env);
  const endpoint = target.endpoint;
  if (options.reachesAws ?? true) {
    if (profile.sandbox) {
      await requireSandboxEndpoint(context.env, settings.region, adminCredentials!);
    } else {
      await requireAwsCredentials(stack, settings.region);
      if (endpoint) await requireAwsEndpoint({ endpoint, region: settings.region });
      await requireStateBackend(stack, context);
    }
  }
  return new StackSession(checked, { endpoint, adminCredentials }, context);
}

/** The whole preamble of a command on one stack: checked, then preflighted. */
export async function openStackSession(name: string, context: CommandContext, options: SessionOptions): Promise<StackSession> {
  const checked = await checkStackSession(name, context, options);
  return openCheckedSession(checked, context, options);
}

/** How a command deploys through its session: the operation's confirmation comes from the session. */
export type SessionDeployOptions = Omit<DeployOptions, "asks"> & {
  /** The operator already said yes to this update as part of the one before it (an adoption's second update). */
  readonly confirmed?: boolean;
};

export interface VerifyOptions {
  /** Every value the stack marks secret; the report never carries one (a promise: still being read). */
  readonly secretValues: readonly string[] | Promise<readonly string[]>;
  /** The secret key when the outputs were read without it: it is being read while the checks start. */
  readonly secretAccessKey?: Promise<Secret>;
  /** Settings that changed since the session opened (an adoption records the adopted keys, a rotation its phase). */
  readonly settings?: StackSettings;
  /** The sentence a failed verification ends in (default: checks failed, and `provision --refresh` when that repairs it). */
  readonly failure?: (report: VerificationReport) => string;
  /** The state was refreshed from AWS first, so `--refresh` would not help. */
  readonly refreshed?: boolean;
}

export interface Verified {
  readonly report: JsonReport;
  /** Set when a check FAILed: the caller throws it, or carries it in its result. */
  readonly failure?: VerificationFailedError;
}

/**
 * One stack, opened for one command: its settings and profile, where its AWS is, its target for the
 * engine, the operator's AWS clients (made on first use), deployment with the operation's
 * confirmation, and verification rendered into the command's report. Close it when done.
 */
export class StackSession implements PreparedStack {
  readonly stack: Environment;
  readonly settings: StackSettings;
  readonly profile: StackProfile;
  readonly operation: StackOperation;
  readonly endpoint: string | undefined;
  readonly adminCredentials: AwsCredentials | undefined;
  readonly target: StackTarget;
  private readonly yes: boolean;

  constructor(
    private readonly checked: CheckedStack,
    private readonly reached: { endpoint: string | undefined; adminCredentials: AwsCredentials | undefined },
    private readonly context: CommandContext,
    /** The operator's clients, made on first use and shared with this session's other views. */
    private readonly clients: { made?: AwsClients } = {},
  ) {
    ({ stack: this.stack, settings: this.settings, profile: this.profile, operation: this.operation, yes: this.yes, target: this.target } = checked);
    ({ endpoint: this.endpoint, adminCredentials: this.adminCredentials } = reached);
  }

  /** The same session writing to another context's output (a stack's lines labelled when several run at once). */
  withContext(context: CommandContext): StackSession {
    return new StackSession(this.checked, this.reached, context, this.clients);
  }

  /** Whether this session's changes wait for the operator's "yes" (prod without --yes). */
  get asks(): boolean {
    return asksBefore(this.operation, this.stack) && !this.yes;
  }

  /** The operator's AWS clients for the stack's region and endpoint, made once. */
  admin(): AwsClients {
    this.clients.made ??= adminClientsFor(this);
    return this.clients.made;
  }

  stateIfExists(): Promise<DeploymentState | undefined> {
    return readStateIfExists(this.target);
  }

  /** The state of a stack that must exist (else the one sentence saying to provision it). */
  state(): Promise<DeploymentState> {
    return readState(this.target);
  }

  outputs(showSecrets: boolean): Promise<StackOutputsRead> {
    return readDeployedOutputs(this.target, showSecrets);
  }

  /** An update as every command runs it, asking first where the operation's confirmation applies. */
  async deploy(options: SessionDeployOptions = {}): Promise<Deployed> {
    const { confirmed = false, ...deploy } = options;
    const deployed = await deployStack(this.target, { ...deploy, asks: this.asks && !confirmed }, this.context);
    await this.subscribeAlertInbox(deployed);
    return deployed;
  }

  /** The profile's alert inbox follows the alerts topic, which an update may have made anew. */
  private async subscribeAlertInbox(deployed: Deployed): Promise<void> {
    const queueName = this.profile.alertInbox;
    const topicArn = deployed.outputs["alertTopicArn"];
    const credentials = this.adminCredentials;
    if (!queueName || typeof topicArn !== "string" || !this.endpoint || !credentials || typeof credentials === "function") return;
    const { subscribeAlertInbox } = require("../../sandbox/alertInbox") as typeof import("../../sandbox/alertInbox");
    await subscribeAlertInbox({ endpoint: this.endpoint, region: this.settings.region, credentials, queueName }, topicArn);
  }

  /** A single engine operation with the command's progress and interrupt. */
  runEngine(operation: EngineOperation, options: { refresh?: boolean; importIds?: ImportIds } = {}): Promise<ChangeCounts> {
    return runEngine(this.target, operation, this.context, options);
  }

  /** The outputs of a deployment, checked against the contract, the secret wrapped. */
  deployedOutputs(deployed: Deployed): { outputs: DeployedOutputs; secretValues: readonly string[] } {
    return { outputs: toDeployedOutputs(this.stack, deployed.outputs), secretValues: secretValuesOf(deployed.outputs) };
  }

  /** Verifies the stack against AWS, without rendering. */
  verify(outputs: DeployedOutputs, options: Pick<VerifyOptions, "secretValues" | "secretAccessKey" | "settings">): Promise<VerificationReport> {
    const { verifyDeployment } = loadVerification();
    return verifyDeployment({ prepared: this, outputs, ...options, signal: this.context.signal });
  }

  /** The stack judged against the benchmarks' controls (read-only), without rendering. */
  assessCompliance(outputs: DeployedOutputs): Promise<ComplianceReport> {
    const { assessDeployment } = loadVerification();
    return assessDeployment({ prepared: this, outputs });
  }

  /** Verifies, renders the report into the command's output, and says (not throws) how it failed. */
  async verifyAndReport(outputs: DeployedOutputs, options: VerifyOptions): Promise<Verified> {
    const report = await this.verify(outputs, options);
    const { renderHumanReport, toJsonReport } = loadVerification();
    this.context.io.report(`\n${renderHumanReport(report, { color: this.context.io.color, debug: this.context.debug })}`);
    const json = toJsonReport(report);
    if (report.summary.FAIL === 0) return { report: json };
    const message = options.failure?.(report) ?? verificationFailedMessage(report, { stack: this.stack, refreshed: options.refreshed ?? false });
    return { report: json, failure: new VerificationFailedError(message) };
  }

  close(): void {
    this.clients.made?.destroy();
    delete this.clients.made;
  }
}
