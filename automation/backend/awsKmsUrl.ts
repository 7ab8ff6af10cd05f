import { awsClientOptionsOf, BackendUrlError, redactUrl, type AwsUrlClientOptions } from "./awsUrlOptions";

/** An `awskms://` secrets provider URL as the pinned CLI reads it (gocloud.dev/secrets/awskms). */
export interface AwsKmsKeeper {
  readonly url: string;
  /** Key id, key ARN, alias name (`alias/...`) or alias ARN: what Encrypt is called with. */
  readonly keyId: string;
  /** `context_<name>=<value>` parameters: the encryption context of every Encrypt and Decrypt. */
  readonly encryptionContext: Readonly<Record<string, string>>;
  readonly client: AwsUrlClientOptions;
}

/**
 * `awskms://alias/talentbase-iam-dev?region=us-east-1`, `awskms://<key id>?region=...`, or
 * `awskms:///arn:aws:kms:...` (an ARN after three slashes): the key is the URL's host and path joined,
 * as gocloud.dev does; the query holds the encryption context and the AWS parameters.
 */
export function parseAwsKmsUrl(url: string): AwsKmsKeeper {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new BackendUrlError(`the secrets provider ${redactUrl(url)} is not a URL (expected awskms://alias/<name>?region=<region>)`, { cause: error });
  }
  if (parsed.protocol !== "awskms:") throw new BackendUrlError(`${redactUrl(url)} is not an awskms:// URL`);
  const keyId = `${parsed.host}${decodeURIComponent(parsed.pathname)}`
    .replace(/\/{2,}/g, "/")
    .replace(/^\/+/, "")
    .replace(/\/+$/, "");
  if (!keyId) throw new BackendUrlError(`the secrets provider ${redactUrl(url)} names no key (expected awskms://alias/<name>?region=<region>)`);
  const params = new URLSearchParams(parsed.search);
  const encryptionContext: Record<string, string> = {};
  for (const name of [...new Set(params.keys())].filter((key) => key.startsWith("context_"))) {
    const values = params.getAll(name);
    if (values.length !== 1) throw new BackendUrlError(`${redactUrl(url)}: the encryption context parameter ${name} must have exactly one value`);
    encryptionContext[name.slice("context_".length)] = values[0]!;
    params.delete(name);
  }
  return { url, keyId, encryptionContext, client: awsClientOptionsOf(params, url) };
}
