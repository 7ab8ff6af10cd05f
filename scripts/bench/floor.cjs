// The floor of a bench stage: a minimal Node process with the AWS SDK that makes the same AWS calls
// the stage made, and nothing else. It loads the SDK clients of the services the calls went to, then
// sends each recorded request again through the SDK's own HTTP handler, keeping the recorded overlap:
// a call starts once every call that had finished before it started has finished again.
// Usage: node scripts/bench/floor.cjs <recorded calls JSON> <endpoint>
"use strict";
const { readFileSync } = require("node:fs");

const CLIENT_PACKAGES = {
  iam: ["@aws-sdk/client-iam", "IAMClient"],
  sts: ["@aws-sdk/client-sts", "STSClient"],
  s3: ["@aws-sdk/client-s3", "S3Client"],
  secretsmanager: ["@aws-sdk/client-secrets-manager", "SecretsManagerClient"],
  kms: ["@aws-sdk/client-kms", "KMSClient"],
};

async function main() {
  const [file, endpoint] = process.argv.slice(2);
  const calls = JSON.parse(readFileSync(file, "utf8"));
  const target = new URL(endpoint);
  const handlers = new Map();
  for (const service of new Set(calls.map((call) => call.service))) {
    const [pkg, name] = CLIENT_PACKAGES[service] ?? CLIENT_PACKAGES.sts;
    const Client = require(pkg)[name];
    handlers.set(
      service,
      new Client({ region: "us-east-1", endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } }).config.requestHandler,
    );
  }
  const send = (call) => {
    const [path, query] = call.path.split("?");
    return handlers
      .get(call.service)
      .handle({
        method: call.method,
        protocol: target.protocol,
        hostname: target.hostname,
        port: Number(target.port),
        path,
        query: Object.fromEntries(new URLSearchParams(query ?? "")),
        headers: { ...call.headers, host: target.host },
        body: Buffer.from(call.body, "base64"),
      })
      .then(
        ({ response }) =>
          new Promise((resolve) => {
            response.body.on("end", resolve);
            response.body.resume();
          }),
      );
  };
  const sent = [];
  for (const call of calls) {
    const before = sent.filter(({ recorded }) => recorded.end <= call.start).map(({ done }) => done);
    await Promise.all(before);
    sent.push({ recorded: call, done: send(call) });
  }
  await Promise.all(sent.map(({ done }) => done));
  for (const handler of handlers.values()) handler.destroy?.();
}

main().catch((error) => {
  process.stderr.write(`floor: ${error.stack ?? error}\n`);
  process.exit(1);
});
