// The defining module of `aws.Region` (the root of @pulumi/aws re-exports it): importing it alone
// keeps config validation free of the whole provider SDK, which the driver does not otherwise load.
import { Region } from "@pulumi/aws/types/enums";
import { PARTITIONS, type Partition } from "../policy/arns";

/**
 * Every region of every partition the pinned aws provider knows: its typed `Region` enum, updated
 * with each provider release, so a region AWS opens arrives with the provider that can deploy to it.
 */
export const KNOWN_REGIONS: readonly string[] = Object.values(Region);

// Regions of the isolated (us-iso*, eu-isoe) and sovereign (eusc) partitions, which this project does
// not target: their ARNs use partitions other than PARTITIONS.
const OTHER_PARTITION_REGION = /^([a-z]{2}-iso[a-z]*-|eusc-)/;

/** The partition a region lives in: China and GovCloud regions have their own. */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** What is wrong with `region` as a deployment target, as the end of "aws:region must be ...", or undefined. */
export function regionProblem(region: string): string | undefined {
  if (!KNOWN_REGIONS.includes(region)) {
    return `a region the aws provider knows, such as us-east-1 or eu-west-1 (${KNOWN_REGIONS.length} known)`;
  }
  if (OTHER_PARTITION_REGION.test(region)) return `a region of the ${PARTITIONS.join(", ")} partitions`;
  return undefined;
}

/**
 * Where a partition's global services record their CloudTrail events and hand them to EventBridge: IAM
 * calls, calls to the global STS endpoint and sign-ins at the global console endpoint arrive here only.
 */
export const GLOBAL_EVENT_REGIONS: { readonly [P in Partition]: string } = {
  aws: "us-east-1",
  "aws-cn": "cn-north-1",
  "aws-us-gov": "us-gov-west-1",
};

/**
 * Whether EventBridge can send events to an event bus in another region of the partition: GovCloud and
 * China regions are not supported destinations (EventBridge user guide, "Sending and receiving events
 * between AWS Regions").
 */
export function crossRegionEventsSupported(partition: Partition): boolean {
  return partition === "aws";
}
