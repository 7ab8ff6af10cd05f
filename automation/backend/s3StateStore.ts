import { DeleteObjectCommand, GetObjectCommand, paginateListObjectsV2, PutObjectCommand, S3Client, type ServerSideEncryption } from "@aws-sdk/client-s3";
import { awsErrorName } from "../aws/errors";
import { awsClientOptionsOf, BackendUrlError, parseBoolean, redactUrl, sdkClientConfig, type AwsUrlClientOptions } from "./awsUrlOptions";
import type { StateStore } from "./stateStore";

/** An `s3://` backend URL as the pinned CLI reads it (pkg/backend/diy/backend.go, gocloud.dev/blob/s3blob). */
export interface S3Backend {
  readonly url: string;
  readonly bucket: string;
  /** The URL's path, the folder inside the bucket Pulumi keeps `.pulumi/` in: "" or ending in "/". */
  readonly prefix: string;
  readonly client: AwsUrlClientOptions;
  /** `use_path_style=` / `s3ForcePathStyle=`: buckets in the path (needed for moto and most S3-compatible stores). */
  readonly forcePathStyle: boolean;
  readonly useAccelerateEndpoint: boolean;
  /** `ssetype=` and `kmskeyid=`: the encryption headers Pulumi sends with each write, which a bucket policy may require. */
  readonly serverSideEncryption?: ServerSideEncryption;
  readonly sseKmsKeyId?: string;
}

const SSE_TYPES: readonly ServerSideEncryption[] = ["AES256", "aws:kms", "aws:kms:dsse"];

/**
 * Parses an `s3://bucket[/prefix]?...` URL with the parameters the pinned CLI accepts: its own
 * translation of the v1-era `disableSSL` and scheme-less endpoints first, then s3blob's S3
 * parameters, then the AWS ones every gocloud.dev opener takes. Refuses what the CLI refuses.
 */
export function parseS3BackendUrl(url: string): S3Backend {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new BackendUrlError(`the state backend URL ${redactUrl(url)} is not a URL (expected s3://<bucket>?region=<region>)`, { cause: error });
  }
  if (parsed.protocol !== "s3:") throw new BackendUrlError(`${redactUrl(url)} is not an s3:// URL`);
  if (!parsed.hostname) throw new BackendUrlError(`the state backend URL ${redactUrl(url)} names no bucket (expected s3://<bucket>?region=<region>)`);
  const params = new URLSearchParams(parsed.search);

  let disableHttps = false;
  if (params.has("disableSSL")) {
    disableHttps = parseBoolean("disableSSL", params.get("disableSSL")!, url);
    params.delete("disableSSL");
  }
  if (params.has("disable_https")) {
    disableHttps = parseBoolean("disable_https", params.get("disable_https")!, url);
    params.delete("disable_https");
  }
  const endpoint = params.get("endpoint");
  if (endpoint !== null) {
    // The CLI gives a scheme-less endpoint one (https, or http with disableSSL); disable_https then downgrades it.
    const withScheme = endpoint.includes("://") ? endpoint : `${disableHttps ? "http" : "https"}://${endpoint}`;
    params.set("endpoint", disableHttps ? withScheme.replace(/^https:/, "http:") : withScheme);
  }

  let forcePathStyle = false;
  for (const name of ["use_path_style", "s3ForcePathStyle"]) {
    if (params.has(name)) forcePathStyle = parseBoolean(name, params.get(name)!, url);
    params.delete(name);
  }
  const useAccelerateEndpoint = params.has("accelerate") ? parseBoolean("accelerate", params.get("accelerate")!, url) : false;
  params.delete("accelerate");

  let serverSideEncryption: ServerSideEncryption | undefined;
  const sseType = params.get("ssetype");
  if (sseType) {
    serverSideEncryption = SSE_TYPES.find((type) => type.toLowerCase() === sseType.toLowerCase());
    if (!serverSideEncryption) throw new BackendUrlError(`${redactUrl(url)}: ssetype must be one of ${SSE_TYPES.join(", ")}, got "${sseType}"`);
  }
  params.delete("ssetype");
  const sseKmsKeyId = params.get("kmskeyid") || undefined;
  params.delete("kmskeyid");

  const folder = decodeURIComponent(parsed.pathname).replace(/^\/+/, "");
  return {
    url,
    bucket: parsed.hostname,
    prefix: folder === "" || folder.endsWith("/") ? folder : `${folder}/`,
    client: awsClientOptionsOf(params, url),
    forcePathStyle,
    useAccelerateEndpoint,
    ...(serverSideEncryption ? { serverSideEncryption } : {}),
    ...(sseKmsKeyId ? { sseKmsKeyId } : {}),
  };
}

/** An S3 client that reaches the bucket as the CLI does; destroy it when done. */
export function s3ClientFor(backend: S3Backend, extra: { readonly maxAttempts?: number } = {}): S3Client {
  return new S3Client({
    ...sdkClientConfig(backend.client, extra),
    forcePathStyle: backend.forcePathStyle,
    ...(backend.useAccelerateEndpoint ? { useAccelerateEndpoint: true } : {}),
  });
}

/**
 * The bucket of an `s3://` backend as a StateStore (AWS SDK v3): keys relative to the URL's folder,
 * lists one level deep like the CLI's own (delimiter "/"), writes with the URL's encryption headers.
 * Credentials come from the standard chain (or the URL's profile/role), as for the CLI.
 */
export function s3StateStore(backendUrl: string): StateStore {
  const backend = parseS3BackendUrl(backendUrl);
  const s3 = s3ClientFor(backend);
  const full = (key: string) => `${backend.prefix}${key}`;
  return {
    location: redactUrl(backendUrl),
    async list(prefix) {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: backend.bucket, Prefix: full(`${prefix}/`), Delimiter: "/" })) {
        for (const object of page.Contents ?? []) keys.push(object.Key!.slice(backend.prefix.length));
      }
      return keys;
    },
    async read(key) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: backend.bucket, Key: full(key) }));
        return Buffer.from(await object.Body!.transformToByteArray());
      } catch (error) {
        if (awsErrorName(error) === "NoSuchKey") return undefined;
        throw error;
      }
    },
    async write(key, content) {
      await s3.send(
        new PutObjectCommand({
          Bucket: backend.bucket,
          Key: full(key),
          Body: content,
          ...(backend.serverSideEncryption ? { ServerSideEncryption: backend.serverSideEncryption } : {}),
          ...(backend.sseKmsKeyId ? { SSEKMSKeyId: backend.sseKmsKeyId } : {}),
        }),
      );
    },
    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: backend.bucket, Key: full(key) }));
    },
    close() {
      s3.destroy();
    },
  };
}
