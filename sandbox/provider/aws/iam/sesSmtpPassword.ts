import { createHmac } from "node:crypto";

/** The SES SMTP password AWS derives from a secret key (SigV4 scheme), as terraform computes it. */
export function sesSmtpPasswordV4(secretAccessKey: string, region: string): string {
  const sign = (key: Buffer | string, message: string) => createHmac("sha256", key).update(message).digest();
  let signature = sign(`AWS4${secretAccessKey}`, "11111111");
  for (const part of [region, "ses", "aws4_request", "SendRawEmail"]) {
    signature = sign(signature, part);
  }
  return Buffer.concat([Buffer.from([0x04]), signature]).toString("base64");
}
