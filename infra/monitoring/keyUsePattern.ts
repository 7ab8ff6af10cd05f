import { anyOf, CLOUDTRAIL_API_CALL, type EventPattern } from "./eventPattern";

export interface KeyUseArgs {
  /** Every access key id of the backend user the stack knows: current, retiring, unmanaged. */
  readonly accessKeyIds: readonly string[];
  /** The uploads bucket, the one thing the key is for. */
  readonly bucketName: string;
}

/**
 * Rule 2: a call signed with one of the stack's keys that is not S3 on the uploads bucket. The brief's
 * "eventSource is not S3" is widened to S3 calls on any other bucket or on none (ListBuckets, what `aws
 * s3 ls` calls first), which a thief tries and the backend never makes. STS GetCallerIdentity (only STS
 * has an operation of that name) is the verifier's own proof that the key works, so it is left out.
 * Read-only calls reach the rule only in the state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; S3
 * object calls (PutObject, DeleteObject) reach EventBridge only from a trail logging data events.
 */
export function keyUsePattern({ accessKeyIds, bucketName }: KeyUseArgs): EventPattern {
  if (accessKeyIds.length === 0) throw new Error("keyUsePattern needs the stack's access key ids");
  return {
    "detail-type": [CLOUDTRAIL_API_CALL],
    detail: {
      userIdentity: { accessKeyId: [...accessKeyIds] },
      eventName: [{ "anything-but": "GetCallerIdentity" }],
      ...anyOf(
        { eventSource: [{ "anything-but": "s3.amazonaws.com" }] },
        { requestParameters: { bucketName: [{ "anything-but": bucketName }] } },
        { requestParameters: { bucketName: [{ exists: false }] } },
      ),
    },
  };
}
