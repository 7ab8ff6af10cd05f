/**
 * CloudTrail records as EventBridge delivers them (the envelope of "AWS API Call via CloudTrail" and
 * "AWS Console Sign In via CloudTrail" events around the record), shaped after the examples of the
 * CloudTrail and IAM user guides: an IAM user's call, an assumed-role session's (its role in
 * sessionContext.sessionIssuer), calls signed with the backend's key, a failed console sign-in.
 */

export const ACCOUNT_ID = "123456789012";
export const USER_NAME = "talentbase-backend-prod";
export const USER_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/${USER_NAME}`;
export const GROUP_NAME = "talentbase-backend-prod-s3";
export const POLICY_ARN = `arn:aws:iam::${ACCOUNT_ID}:policy/talentbase-backend-prod-s3-policy`;
export const BUCKET_NAME = "talentbase-prod-uploads";
/** The stack's current key, and the old key of an open rotation. */
export const STACK_KEY = "AKIAIOSFODNN7EXAMPLE";
export const RETIRING_KEY = "AKIAI44QH8DHBEXAMPLE";
/** An operator's IAM user and the deploy pipeline's role (with a path, as CloudTrail records it). */
export const OPERATOR_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/alice`;
export const DEPLOYER_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/ci/talentbase-deployer`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type CloudTrailEvent = { readonly [key: string]: Json };

function envelope(detailType: string, source: string, detail: { [key: string]: Json }): CloudTrailEvent {
  return {
    version: "0",
    id: "36eb8523-97d0-4518-b33d-EXAMPLE0001",
    "detail-type": detailType,
    source,
    account: ACCOUNT_ID,
    time: detail["eventTime"] as string,
    region: detail["awsRegion"] as string,
    resources: [],
    detail,
  };
}

function apiCall(detail: { [key: string]: Json }): CloudTrailEvent {
  const service = (detail["eventSource"] as string).replace(".amazonaws.com", "");
  return envelope("AWS API Call via CloudTrail", `aws.${service}`, {
    eventVersion: "1.10",
    eventTime: "2026-12-04T09:12:44Z",
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.7",
    userAgent:
      "aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#iam.create-access-key",
    requestID: "4c9a2d0e-6f7b-4b1e-9d39-EXAMPLE2222",
    eventID: "d6a4a3f5-4c8e-4a0b-8f4d-EXAMPLE3333",
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT_ID,
    eventCategory: "Management",
    tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: "iam.amazonaws.com" },
    ...detail,
  });
}

const operatorIdentity = {
  type: "IAMUser",
  principalId: "AIDACKCEVSQ6C2EXAMPLE",
  arn: OPERATOR_ARN,
  accountId: ACCOUNT_ID,
  accessKeyId: "AKIAIOSFODNN7ALICE01",
  userName: "alice",
};

const deployerSession = {
  type: "AssumedRole",
  principalId: "AROADBQP57FF2AEXAMPLE:gha-talentbase-iam-7731",
  arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/talentbase-deployer/gha-talentbase-iam-7731`,
  accountId: ACCOUNT_ID,
  accessKeyId: "ASIAQRSTUVWXYZEXAMPLE",
  sessionContext: {
    sessionIssuer: {
      type: "Role",
      principalId: "AROADBQP57FF2AEXAMPLE",
      arn: DEPLOYER_ROLE_ARN,
      accountId: ACCOUNT_ID,
      userName: "talentbase-deployer",
    },
    attributes: { creationDate: "2026-12-04T09:10:02Z", mfaAuthenticated: "false" },
  },
};

/** Record changes that make a call the deploy pipeline's session's, or the operator's. */
export const BY_DEPLOYER = { userIdentity: deployerSession };
export const BY_OPERATOR = { userIdentity: operatorIdentity };

const stackKeyIdentity = {
  type: "IAMUser",
  principalId: "AIDAJQABLZS4A3QDU576Q",
  arn: USER_ARN,
  accountId: ACCOUNT_ID,
  accessKeyId: STACK_KEY,
  userName: USER_NAME,
};

/** An operator's IAM user creates a key for the backend user with the CLI. */
export const createAccessKeyByOperator = apiCall({
  userIdentity: operatorIdentity,
  eventSource: "iam.amazonaws.com",
  eventName: "CreateAccessKey",
  requestParameters: { userName: USER_NAME },
  responseElements: {
    accessKey: { userName: USER_NAME, accessKeyId: "AKIAIOSFODNN7NEWKEY1", status: "Active", createDate: "Dec 4, 2026, 9:12:44 AM" },
  },
  readOnly: false,
});

/** The deploy pipeline's role session creates the key (a rotation), as CloudTrail records an assumed role. */
export const createAccessKeyByDeployer = withDetail(createAccessKeyByOperator, { userIdentity: deployerSession });

/** The stack's key, stolen, asks IAM who exists: denied, and recorded. */
export const listUsersWithStackKey = apiCall({
  userIdentity: stackKeyIdentity,
  eventSource: "iam.amazonaws.com",
  eventName: "ListUsers",
  errorCode: "AccessDenied",
  errorMessage: `User: ${USER_ARN} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT_ID}:user/ because no identity-based policy allows the iam:ListUsers action`,
  requestParameters: null,
  responseElements: null,
  readOnly: true,
});

/** The verifier proves the key works. */
export const getCallerIdentityWithStackKey = apiCall({
  userIdentity: stackKeyIdentity,
  eventSource: "sts.amazonaws.com",
  eventName: "GetCallerIdentity",
  requestParameters: null,
  responseElements: null,
  readOnly: true,
});

/** The backend reads its bucket's region (a management event of S3). */
export const getBucketLocationWithStackKey = apiCall({
  userIdentity: stackKeyIdentity,
  eventSource: "s3.amazonaws.com",
  eventName: "GetBucketLocation",
  requestParameters: { bucketName: BUCKET_NAME, Host: `${BUCKET_NAME}.s3.amazonaws.com`, location: "" },
  responseElements: null,
  readOnly: true,
  resources: [{ accountId: ACCOUNT_ID, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${BUCKET_NAME}` }],
});

/** An upload through a presigned URL (a data event, logged only by a trail with S3 data events). */
export const putObjectWithStackKey = apiCall({
  userIdentity: stackKeyIdentity,
  eventSource: "s3.amazonaws.com",
  eventName: "PutObject",
  requestParameters: { bucketName: BUCKET_NAME, key: "resumes/2026/12/cv-8812.pdf", Host: `${BUCKET_NAME}.s3.us-east-1.amazonaws.com` },
  responseElements: null,
  additionalEventData: { SignatureVersion: "SigV4", AuthenticationMethod: "QueryString", bytesTransferredIn: 48213 },
  readOnly: false,
  managementEvent: false,
  eventCategory: "Data",
  resources: [
    { type: "AWS::S3::Object", ARN: `arn:aws:s3:::${BUCKET_NAME}/resumes/2026/12/cv-8812.pdf` },
    { accountId: ACCOUNT_ID, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${BUCKET_NAME}` },
  ],
});

/** `aws s3 ls` with the stolen key: ListBuckets names no bucket. */
export const listBucketsWithStackKey = apiCall({
  userIdentity: stackKeyIdentity,
  eventSource: "s3.amazonaws.com",
  eventName: "ListBuckets",
  errorCode: "AccessDenied",
  errorMessage: "Access Denied",
  requestParameters: { Host: "s3.us-east-1.amazonaws.com" },
  responseElements: null,
  readOnly: true,
});

/** A failed console sign-in as the backend user (the IAM user guide's failure example). */
export const consoleSignInFailure = envelope("AWS Console Sign In via CloudTrail", "aws.signin", {
  eventVersion: "1.09",
  userIdentity: { type: "IAMUser", principalId: "AIDAJQABLZS4A3QDU576Q", arn: USER_ARN, accountId: ACCOUNT_ID, userName: USER_NAME },
  eventTime: "2026-12-04T09:31:27Z",
  eventSource: "signin.amazonaws.com",
  eventName: "ConsoleLogin",
  awsRegion: "eu-west-1",
  sourceIPAddress: "198.51.100.23",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  errorMessage: "Failed authentication",
  requestParameters: null,
  responseElements: { ConsoleLogin: "Failure" },
  additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home", MobileVersion: "No", MFAUsed: "No" },
  eventID: "11ea990b-4678-4bcd-8fbe-EXAMPLE4444",
  readOnly: false,
  eventType: "AwsConsoleSignIn",
  managementEvent: true,
  recipientAccountId: ACCOUNT_ID,
  eventCategory: "Management",
});

/** `event` with some fields of its CloudTrail record replaced (a nested object replaces the whole field). */
export function withDetail(event: CloudTrailEvent, changes: { [key: string]: Json }): CloudTrailEvent {
  return { ...event, detail: { ...(event["detail"] as { [key: string]: Json }), ...changes } };
}

/** `event` without some fields of its CloudTrail record (a success has no errorCode). */
export function withoutDetail(event: CloudTrailEvent, ...fields: string[]): CloudTrailEvent {
  const detail = { ...(event["detail"] as { [key: string]: Json }) };
  for (const field of fields) delete detail[field];
  return { ...event, detail };
}
