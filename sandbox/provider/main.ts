import * as provider from "@pulumi/pulumi/provider";
import { createAwsStandInProvider } from "./aws/awsStandInProvider";
import { readAwsEnvironment } from "./environment";
import { exitWithEngine } from "./parentWatch";
import { answerPreviewsWithPlannedState } from "./providerPreviews";

// Refuse before serving anything: the engine shows this message when the plugin fails to start.
try {
  readAwsEnvironment(process.env);
} catch (error) {
  process.stderr.write(`pulumi-resource-aws (stand-in): ${(error as Error).message}\n`);
  process.exit(1);
}

exitWithEngine();
answerPreviewsWithPlannedState();
provider.main(createAwsStandInProvider(process.env), process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`pulumi-resource-aws (stand-in): ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
