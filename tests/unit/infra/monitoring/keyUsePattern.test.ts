import { expect } from "chai";
import { keyUsePattern } from "../../../../infra/monitoring/keyUsePattern";
import { matchesPattern } from "../../../support/eventPatternMatcher";
import {
  BUCKET_NAME,
  BY_OPERATOR,
  getBucketLocationWithStackKey,
  getCallerIdentityWithStackKey,
  listBucketsWithStackKey,
  listUsersWithStackKey,
  putObjectWithStackKey,
  RETIRING_KEY,
  STACK_KEY,
  withDetail,
  withoutDetail,
} from "./cloudTrailEvents";

describe("rule 2: the stack's key used for anything but S3 on its bucket", () => {
  const pattern = keyUsePattern({ accessKeyIds: [STACK_KEY, RETIRING_KEY], bucketName: BUCKET_NAME });

  it("catches iam:ListUsers signed with the stack's key, denied or not", () => {
    expect(matchesPattern(listUsersWithStackKey, pattern)).to.equal(true);
    expect(matchesPattern(withoutDetail(listUsersWithStackKey, "errorCode", "errorMessage"), pattern)).to.equal(true);
  });

  it("catches the retiring key of an open rotation too, and no other key", () => {
    const identity = (listUsersWithStackKey["detail"] as { userIdentity: Record<string, string> }).userIdentity;
    expect(matchesPattern(withDetail(listUsersWithStackKey, { userIdentity: { ...identity, accessKeyId: RETIRING_KEY } }), pattern)).to.equal(true);
    expect(matchesPattern(withDetail(listUsersWithStackKey, BY_OPERATOR), pattern)).to.equal(false);
  });

  it("lets the verifier's sts:GetCallerIdentity through, but not the other STS calls a thief would make", () => {
    expect(matchesPattern(getCallerIdentityWithStackKey, pattern)).to.equal(false);
    expect(matchesPattern(withDetail(getCallerIdentityWithStackKey, { eventName: "GetSessionToken" }), pattern)).to.equal(true);
  });

  it("lets S3 calls on the uploads bucket through, management and data events alike", () => {
    expect(matchesPattern(getBucketLocationWithStackKey, pattern)).to.equal(false);
    expect(matchesPattern(putObjectWithStackKey, pattern)).to.equal(false);
    expect(matchesPattern(withDetail(putObjectWithStackKey, { eventName: "DeleteObject" }), pattern)).to.equal(false);
  });

  it("catches S3 calls on no bucket or another bucket, which the backend never makes", () => {
    expect(matchesPattern(listBucketsWithStackKey, pattern)).to.equal(true);
    const otherBucket = withDetail(putObjectWithStackKey, { eventName: "GetObject", requestParameters: { bucketName: "acme-finance", key: "payroll.csv" } });
    expect(matchesPattern(otherBucket, pattern)).to.equal(true);
  });

  it("needs at least one key id: a rule without one would match every caller's keyless events", () => {
    expect(() => keyUsePattern({ accessKeyIds: [], bucketName: BUCKET_NAME })).to.throw("access key ids");
  });
});
