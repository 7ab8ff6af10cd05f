import { silenceSdkNodeNotice } from "../aws/sdkNotice";
import { runCli } from "./runCli";

silenceSdkNodeNotice();
void runCli(process.argv).then((code) => process.exit(code));
