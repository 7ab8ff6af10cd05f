import * as provider from "@pulumi/pulumi/provider";
import { RESOURCE_TYPES } from "../../../infra/resourceTypes";
import { createAwsStandInProvider } from "../../../sandbox/provider/aws/awsStandInProvider";
import { exitWithEngine } from "../../../sandbox/provider/parentWatch";
import { answerPreviewsWithPlannedState } from "../../../sandbox/provider/providerPreviews";

/**
 * The stand-in, except that an access key's create never returns: the engine has saved the create as
 * pending by then, so a test that kills the run once the state shows it gets that state every time.
 */
const standIn = createAwsStandInProvider(process.env);
const stalling: provider.Provider = {
  ...standIn,
  async create(urn, inputs) {
    if (urn.includes(`$${RESOURCE_TYPES.accessKey}::`)) await new Promise(() => undefined);
    return standIn.create!(urn, inputs);
  },
};

exitWithEngine();
answerPreviewsWithPlannedState();
void provider.main(stalling, process.argv.slice(2));
