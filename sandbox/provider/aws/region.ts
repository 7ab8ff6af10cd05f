import type { CheckFailure } from "@pulumi/pulumi/provider";
import { isUnknown, type PropertyBag } from "../wireValues";

const REGION_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** terraform v6 imports a resource outside the provider's region by the id plus `@<region>`. */
const IMPORT_REGION_SUFFIX = /^(.+)@([a-z]{2}(?:-[a-z]+)+-\d{1,2})$/;

/** The import id without its `@<region>` suffix, and that region when there was one. */
export function splitImportRegion(importId: string): { id: string; region?: string } {
  const match = IMPORT_REGION_SUFFIX.exec(importId);
  return match ? { id: match[1]!, region: match[2]! } : { id: importId };
}

/** The region an ARN names (`arn:aws:sns:us-east-1:123456789012:alerts`), if the text is such an ARN. */
export function regionOfArn(text: string): string | undefined {
  const parts = text.split(":");
  return parts.length >= 6 && parts[0] === "arn" && REGION_NAME.test(parts[3]!) ? parts[3] : undefined;
}

/** The region a resource lives in: the state's on refresh, else the one its id names, else the provider's. */
export function regionFor(props: PropertyBag, idRegion: string | undefined, defaultRegion: string): string {
  return typeof props.region === "string" && props.region !== "" ? props.region : (idRegion ?? defaultRegion);
}

export function regionFailure(inputs: PropertyBag): CheckFailure[] {
  const region = inputs.region;
  if (typeof region !== "string" || isUnknown(region) || REGION_NAME.test(region)) return [];
  return [{ property: "region", reason: `"region" is not a valid AWS Region name: ${region}` }];
}
