import { silenceSdkNodeNotice } from "../../automation/aws/sdkNotice";

// Loaded by mocha before any test file (.mocharc.json), as the CLI's entry does for its own process.
silenceSdkNodeNotice();
