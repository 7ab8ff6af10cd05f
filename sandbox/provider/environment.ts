import { isLoopbackHost } from "../loopback";

/** Where and as whom the stand-in talks to AWS; taken from the environment (the Node provider SDK has no configure hook). */
export interface AwsEnvironment {
  endpoint: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Raised when the stand-in would talk to anything but a local AWS (moto). */
export class NonLoopbackEndpointError extends Error {
  override name = "NonLoopbackEndpointError";
}

/** Returns the endpoint when it is a loopback http(s) URL; otherwise explains the refusal. */
export function requireLoopbackEndpoint(endpoint: string | undefined): string {
  if (!endpoint) {
    throw new NonLoopbackEndpointError(
      "the stand-in aws provider only talks to a local AWS: set AWS_ENDPOINT_URL to a loopback URL such as http://127.0.0.1:5000",
    );
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new NonLoopbackEndpointError(`AWS_ENDPOINT_URL is not a URL: ${endpoint}`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !isLoopbackHost(url.hostname)) {
    throw new NonLoopbackEndpointError(`the stand-in aws provider refuses non-loopback endpoint ${url.origin}; it must never reach real AWS`);
  }
  return endpoint;
}

/** Reads endpoint, region and credentials the way the AWS CLI names them; refuses a non-loopback endpoint. */
export function readAwsEnvironment(env: NodeJS.ProcessEnv = process.env): AwsEnvironment {
  const endpoint = requireLoopbackEndpoint(env.AWS_ENDPOINT_URL);
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;
  return { endpoint, region, credentials };
}
