import { expect } from "chai";
import { ConfigError, KNOWN_REGIONS, parseStackConfig, regionProblem, SETTING_NAMES, type RawStackConfig } from "../../../infra/config";

const REGION = { "aws:region": "us-east-1" };

function problemsOf(stack: string, raw: RawStackConfig): string[] {
  try {
    parseStackConfig(stack, raw);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).name).to.equal("ConfigError");
    return (error as ConfigError).problems.map((p) => p.message);
  }
  throw new Error(`expected a ConfigError for stack ${stack}`);
}

describe("parseStackConfig", () => {
  describe("defaults per environment", () => {
    it("gives dev a 90-day key age, no protection and the round-trip check", () => {
      expect(parseStackConfig("dev", REGION)).to.deep.equal({
        environment: "dev",
        region: "us-east-1",
        partition: "aws",
        bucketName: "talentbase-dev-uploads",
        keyMaxAgeDays: 90,
        protect: false,
        userPath: "/",
        requireMfa: false,
        roundTripCheck: true,
        accessKeySlot: "a",
        rotation: "idle",
        unmanagedAccessKeys: [],
        rotationGraceHours: 24,
        keyMaxIdleDays: 45,
        credentialsSecret: false,
        credentialsSecretName: "talentbase/dev/aws-credentials",
        credentialsSecretRecoveryDays: 30,
        monitoring: false,
        alertEmails: [],
        trustedCallers: [],
        monitoringRegions: [],
        objectCountAlarm: 10000,
      });
    });

    it("gives staging a 90-day key age, no protection and no round-trip check", () => {
      expect(parseStackConfig("staging", REGION)).to.include({
        bucketName: "talentbase-staging-uploads",
        keyMaxAgeDays: 90,
        protect: false,
        roundTripCheck: false,
      });
    });

    it("gives prod a 60-day key age and protection against deletion", () => {
      expect(parseStackConfig("prod", REGION)).to.include({
        bucketName: "talentbase-prod-uploads",
        keyMaxAgeDays: 60,
        protect: true,
        roundTripCheck: false,
      });
    });

    it("gives prod the Secrets Manager hand-off, talentbase/prod/aws-credentials with AWS's 30-day recovery window", () => {
      const settings = parseStackConfig("prod", REGION);
      expect(settings).to.include({
        credentialsSecret: true,
        credentialsSecretName: "talentbase/prod/aws-credentials",
        credentialsSecretRecoveryDays: 30,
      });
      expect(settings).not.to.have.property("credentialsSecretKmsKeyId");
    });

    for (const stack of ["dev", "staging", "local"]) {
      it(`leaves the secret off on ${stack}, named talentbase/${stack}/aws-credentials when turned on`, () => {
        expect(parseStackConfig(stack, REGION)).to.include({ credentialsSecret: false, credentialsSecretName: `talentbase/${stack}/aws-credentials` });
        expect(parseStackConfig(stack, { ...REGION, "talentbase-iam:credentialsSecret": "true" }).credentialsSecret).to.equal(true);
      });
    }

    it("treats local (the moto sandbox) like dev", () => {
      expect(parseStackConfig("local", REGION)).to.include({
        bucketName: "talentbase-local-uploads",
        keyMaxAgeDays: 90,
        protect: false,
        roundTripCheck: true,
      });
    });
  });

  it("takes every setting from config when given", () => {
    const settings = parseStackConfig("prod", {
      "aws:region": "us-gov-west-1",
      "talentbase-iam:bucketName": "acme.prod-media",
      "talentbase-iam:keyMaxAgeDays": "30",
      "talentbase-iam:protect": "false",
      "talentbase-iam:permissionsBoundaryArn": "arn:aws-us-gov:iam::123456789012:policy/Boundary",
      "talentbase-iam:userPath": "/service/talentbase/",
      "talentbase-iam:partition": "aws-us-gov",
      "talentbase-iam:requireMfa": "true",
      "talentbase-iam:roundTripCheck": "true",
      "talentbase-iam:accessKeySlot": "b",
      "talentbase-iam:rotation": "started",
      "talentbase-iam:unmanagedAccessKeys": "AKIAIOSFODNN7EXAMPLE, AKIAI44QH8DHBEXAMPLE",
      "talentbase-iam:credentialsSecret": "false",
      "talentbase-iam:credentialsSecretName": "acme/prod/django-s3",
      "talentbase-iam:credentialsSecretKmsKeyId": "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/talentbase-secrets",
      "talentbase-iam:credentialsSecretRecoveryDays": "7",
      "talentbase-iam:rotateAheadDays": "5",
      "talentbase-iam:rotationGraceHours": "48",
      "talentbase-iam:keyMaxIdleDays": "30",
      "talentbase-iam:monitoring": "false",
      "talentbase-iam:alertEmails": "security@example.com, oncall+iam@example.org",
      "talentbase-iam:trustedCallers": "arn:aws-us-gov:iam::123456789012:role/ci/deployer",
      "talentbase-iam:monitoringRegions": "us-gov-east-1",
      "talentbase-iam:objectCountAlarm": "25000",
    });
    expect(settings).to.deep.equal({
      environment: "prod",
      region: "us-gov-west-1",
      partition: "aws-us-gov",
      bucketName: "acme.prod-media",
      keyMaxAgeDays: 30,
      protect: false,
      permissionsBoundaryArn: "arn:aws-us-gov:iam::123456789012:policy/Boundary",
      userPath: "/service/talentbase/",
      requireMfa: true,
      roundTripCheck: true,
      accessKeySlot: "b",
      rotation: "started",
      unmanagedAccessKeys: ["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"],
      rotateAheadDays: 5,
      rotationGraceHours: 48,
      keyMaxIdleDays: 30,
      credentialsSecret: false,
      credentialsSecretName: "acme/prod/django-s3",
      credentialsSecretKmsKeyId: "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/talentbase-secrets",
      credentialsSecretRecoveryDays: 7,
      monitoring: false,
      alertEmails: ["security@example.com", "oncall+iam@example.org"],
      trustedCallers: ["arn:aws-us-gov:iam::123456789012:role/ci/deployer"],
      monitoringRegions: ["us-gov-east-1"],
      objectCountAlarm: 25000,
    });
  });

  it("accepts the aws provider's and Pulumi's own keys, such as aws:profile and pulumi:tags", () => {
    expect(parseStackConfig("dev", { ...REGION, "aws:profile": "x", "pulumi:tags": "{}" }).environment).to.equal("dev");
  });

  it("accepts every region of the aws, aws-cn and aws-us-gov partitions the aws provider knows", () => {
    const regions = KNOWN_REGIONS.filter((region) => regionProblem(region) === undefined);
    expect(regions).to.include.members(["us-east-1", "eu-central-2", "ap-southeast-7", "mx-central-1", "cn-northwest-1", "us-gov-east-1"]);
    for (const region of regions) {
      const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
      expect(parseStackConfig("dev", { "aws:region": region, "talentbase-iam:partition": partition }).region).to.equal(region);
    }
  });

  describe("errors", () => {
    it("refuses a schedule that cannot work: rotating ahead by the whole age limit or more, a grace or idle limit out of range", () => {
      expect(problemsOf("prod", { ...REGION, "talentbase-iam:rotateAheadDays": "60" })).to.deep.equal([
        'talentbase-iam:rotateAheadDays must be fewer days than keyMaxAgeDays (60), got "60"',
      ]);
      expect(problemsOf("dev", { ...REGION, "talentbase-iam:rotationGraceHours": "-1", "talentbase-iam:keyMaxIdleDays": "0" })).to.deep.equal([
        'talentbase-iam:rotationGraceHours must be a whole number between 0 and 720, got "-1"',
        'talentbase-iam:keyMaxIdleDays must be a whole number between 1 and 365, got "0"',
      ]);
    });

    it("rejects a stack that is not one of the four environments", () => {
      expect(problemsOf("qa", REGION)).to.deep.equal(['stack name must be one of dev, staging, prod, local, got "qa"']);
    });

    it("requires aws:region", () => {
      expect(problemsOf("dev", {})).to.deep.equal(["aws:region must be an AWS region such as us-east-1, it is not set"]);
    });

    for (const region of ["US East", "us-east-9", "us-central-1", "eu-west-1a"]) {
      it(`rejects aws:region ${JSON.stringify(region)}, which no partition has`, () => {
        expect(problemsOf("dev", { "aws:region": region })).to.deep.equal([
          `aws:region must be a region the aws provider knows, such as us-east-1 or eu-west-1 (${KNOWN_REGIONS.length} known), got ${JSON.stringify(region)}`,
        ]);
      });
    }

    for (const region of ["us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "eusc-de-east-1"]) {
      it(`rejects aws:region ${region}, a region of a partition this project does not target`, () => {
        expect(KNOWN_REGIONS).to.include(region);
        expect(problemsOf("dev", { "aws:region": region })).to.deep.equal([
          `aws:region must be a region of the aws, aws-cn, aws-us-gov partitions, got "${region}"`,
        ]);
      });
    }

    it("rejects a key in a mistyped namespace and names the key it meant", () => {
      expect(problemsOf("prod", { ...REGION, "talentbase_iam:protect": "true" })).to.deep.equal([
        'talentbase_iam:protect is in namespace "talentbase_iam", which nothing reads: rename it to talentbase-iam:protect (namespaces read: talentbase-iam, aws, pulumi)',
      ]);
    });

    it("rejects a key in a namespace nothing reads", () => {
      expect(problemsOf("dev", { ...REGION, "awz:profile": "x" })).to.deep.equal([
        'awz:profile is in namespace "awz", which nothing reads: use one of talentbase-iam, aws, pulumi',
      ]);
    });

    for (const value of ["abc", "0", "366", "12.5", "-3", ""]) {
      it(`rejects keyMaxAgeDays ${JSON.stringify(value)}`, () => {
        expect(problemsOf("dev", { ...REGION, "talentbase-iam:keyMaxAgeDays": value })).to.deep.equal([
          `talentbase-iam:keyMaxAgeDays must be a whole number of days between 1 and 365, got ${JSON.stringify(value)}`,
        ]);
      });
    }

    for (const key of ["protect", "requireMfa", "roundTripCheck", "credentialsSecret", "monitoring"]) {
      it(`rejects a ${key} that is not true or false`, () => {
        expect(problemsOf("dev", { ...REGION, [`talentbase-iam:${key}`]: "yes" })).to.deep.equal([`talentbase-iam:${key} must be true or false, got "yes"`]);
      });
    }

    const badBuckets: Array<[string, string]> = [
      ["ab", "it must be 3 to 63 characters long"],
      ["a".repeat(64), "it must be 3 to 63 characters long"],
      ["talentBase-uploads", "it may contain only lowercase letters, digits, '.' and '-'"],
      ["talentbase_uploads", "it may contain only lowercase letters, digits, '.' and '-'"],
      ["-talentbase", "it must begin and end with a letter or digit"],
      ["talentbase.", "it must begin and end with a letter or digit"],
      ["talent..base", "it must not contain two adjacent periods"],
      ["192.168.5.4", "it must not look like an IP address"],
      ["xn--talentbase", 'the prefix "xn--" is reserved'],
      ["sthree-talentbase", 'the prefix "sthree-" is reserved'],
      ["amzn-s3-demo-talentbase", 'the prefix "amzn-s3-demo-" is reserved'],
      ["talentbase-s3alias", 'the suffix "-s3alias" is reserved'],
      ["talentbase--ol-s3", 'the suffix "--ol-s3" is reserved'],
      ["talentbase.mrap", 'the suffix ".mrap" is reserved'],
      ["talentbase--x-s3", 'the suffix "--x-s3" is reserved'],
      ["talentbase--table-s3", 'the suffix "--table-s3" is reserved'],
    ];
    for (const [name, rule] of badBuckets) {
      it(`rejects the bucket name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}...` : name)} because ${rule}`, () => {
        expect(problemsOf("dev", { ...REGION, "talentbase-iam:bucketName": name })).to.deep.equal([
          `talentbase-iam:bucketName must be a valid S3 bucket name (${rule}), got ${JSON.stringify(name)}`,
        ]);
      });
    }

    it("rejects an unknown partition", () => {
      expect(problemsOf("dev", { ...REGION, "talentbase-iam:partition": "azure" })).to.deep.equal([
        'talentbase-iam:partition must be one of aws, aws-cn, aws-us-gov, got "azure"',
      ]);
    });

    it("rejects a partition that does not match the region", () => {
      expect(problemsOf("dev", { "aws:region": "cn-north-1" })).to.deep.equal([
        "talentbase-iam:partition must be aws-cn to match aws:region cn-north-1, it is not set",
      ]);
    });

    it("rejects a permissions boundary that is not an IAM policy ARN", () => {
      expect(problemsOf("dev", { ...REGION, "talentbase-iam:permissionsBoundaryArn": "Boundary" })).to.deep.equal([
        'talentbase-iam:permissionsBoundaryArn must be an IAM managed policy ARN such as arn:aws:iam::123456789012:policy/Boundary, got "Boundary"',
      ]);
    });

    it("rejects a permissions boundary in another partition", () => {
      const arn = "arn:aws-cn:iam::123456789012:policy/Boundary";
      expect(problemsOf("dev", { ...REGION, "talentbase-iam:permissionsBoundaryArn": arn })).to.deep.equal([
        `talentbase-iam:permissionsBoundaryArn must be an ARN in partition aws, got "${arn}"`,
      ]);
    });

    for (const path of ["backend", "/backend", "backend/", "/back end/"]) {
      it(`rejects the user path ${JSON.stringify(path)}`, () => {
        expect(problemsOf("dev", { ...REGION, "talentbase-iam:userPath": path })).to.deep.equal([
          `talentbase-iam:userPath must be an IAM path that starts and ends with "/" (printable ASCII, at most 512 characters), got ${JSON.stringify(path)}`,
        ]);
      });
    }

    it("rejects an access key slot, rotation phase or unmanaged key list it does not know", () => {
      expect(
        problemsOf("dev", {
          ...REGION,
          "talentbase-iam:accessKeySlot": "c",
          "talentbase-iam:rotation": "begun",
          "talentbase-iam:unmanagedAccessKeys": "AKIAIOSFODNN7EXAMPLE,secret",
        }),
      ).to.deep.equal([
        'talentbase-iam:accessKeySlot must be one of a, b, got "c"',
        'talentbase-iam:rotation must be one of idle, started, old-key-inactive, finishing, contained, got "begun"',
        'talentbase-iam:unmanagedAccessKeys must be a comma-separated list of access key ids (AKIA...), got "AKIAIOSFODNN7EXAMPLE,secret"',
      ]);
    });

    describe("the credentials secret", () => {
      const badNames: Array<[string, string]> = [
        ["", "it must be 1 to 512 characters long"],
        ["a".repeat(513), "it must be 1 to 512 characters long"],
        ["talentbase/prod/aws credentials", "it may contain only letters, digits and /_+=.@-"],
        ["talentbase:prod", "it may contain only letters, digits and /_+=.@-"],
        ["talentbase/prod/keys-a1B2c3", "it must not end with a hyphen and six characters (the ARN's own suffix)"],
      ];
      for (const [name, rule] of badNames) {
        it(`rejects the secret name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}...` : name)} because ${rule}`, () => {
          expect(problemsOf("prod", { ...REGION, "talentbase-iam:credentialsSecretName": name })).to.deep.equal([
            `talentbase-iam:credentialsSecretName must be a valid Secrets Manager secret name (${rule}), got ${JSON.stringify(name)}`,
          ]);
        });
      }

      it("accepts every name character Secrets Manager allows", () => {
        const name = "Talentbase/prod_2+x=y.z@acme-aws-credentials";
        expect(parseStackConfig("prod", { ...REGION, "talentbase-iam:credentialsSecretName": name }).credentialsSecretName).to.equal(name);
      });

      for (const kmsKeyId of [
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "mrk-1234abcd12ab34cd56ef1234567890ab",
        "alias/talentbase-secrets",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:us-east-1:123456789012:alias/talentbase-secrets",
      ]) {
        it(`accepts the KMS key ${kmsKeyId}`, () => {
          expect(parseStackConfig("prod", { ...REGION, "talentbase-iam:credentialsSecretKmsKeyId": kmsKeyId }).credentialsSecretKmsKeyId).to.equal(kmsKeyId);
        });
      }

      it("rejects a KMS key that is no key reference, or one of another partition or region", () => {
        const problems = (kmsKeyId: string) => problemsOf("prod", { ...REGION, "talentbase-iam:credentialsSecretKmsKeyId": kmsKeyId });
        expect(problems("my-key")).to.deep.equal([
          'talentbase-iam:credentialsSecretKmsKeyId must be a KMS key id, key ARN, alias name (alias/...) or alias ARN, got "my-key"',
        ]);
        expect(problems("arn:aws-cn:kms:us-east-1:123456789012:alias/x")).to.deep.equal([
          'talentbase-iam:credentialsSecretKmsKeyId must be an ARN in partition aws, got "arn:aws-cn:kms:us-east-1:123456789012:alias/x"',
        ]);
        expect(problems("arn:aws:kms:eu-west-1:123456789012:alias/x")).to.deep.equal([
          'talentbase-iam:credentialsSecretKmsKeyId must be a key in us-east-1, the secret\'s region (Secrets Manager encrypts with a key of its own region), got "arn:aws:kms:eu-west-1:123456789012:alias/x"',
        ]);
      });

      for (const days of ["7", "30"]) {
        it(`takes a recovery window of ${days} days`, () => {
          expect(parseStackConfig("prod", { ...REGION, "talentbase-iam:credentialsSecretRecoveryDays": days }).credentialsSecretRecoveryDays).to.equal(
            Number(days),
          );
        });
      }

      for (const days of ["6", "31", "abc", "7.5", ""]) {
        it(`rejects a recovery window of ${JSON.stringify(days)}`, () => {
          expect(problemsOf("dev", { ...REGION, "talentbase-iam:credentialsSecretRecoveryDays": days })).to.deep.equal([
            `talentbase-iam:credentialsSecretRecoveryDays must be a whole number of days between 7 and 30, or 0 to delete without recovery, got ${JSON.stringify(days)}`,
          ]);
        });
      }

      it("lets a stack other than prod delete without recovery (0), so its name is free for the next provision", () => {
        expect(parseStackConfig("local", { ...REGION, "talentbase-iam:credentialsSecretRecoveryDays": "0" }).credentialsSecretRecoveryDays).to.equal(0);
      });

      it("keeps a recovery window on prod: 0 is refused there", () => {
        expect(problemsOf("prod", { ...REGION, "talentbase-iam:credentialsSecretRecoveryDays": "0" })).to.deep.equal([
          'talentbase-iam:credentialsSecretRecoveryDays must be a whole number of days between 7 and 30 (prod keeps a recovery window), got "0"',
        ]);
      });
    });

    describe("the access monitoring", () => {
      it("is on for prod and off elsewhere by default, and config turns it on or off anywhere, the sandbox included", () => {
        expect(parseStackConfig("prod", REGION).monitoring).to.equal(true);
        for (const stack of ["dev", "staging", "local"]) {
          expect(parseStackConfig(stack, REGION).monitoring, stack).to.equal(false);
          expect(parseStackConfig(stack, { ...REGION, "talentbase-iam:monitoring": "true" }).monitoring, stack).to.equal(true);
        }
        expect(parseStackConfig("prod", { ...REGION, "talentbase-iam:monitoring": "false" }).monitoring).to.equal(false);
      });

      it("takes comma-separated addresses, callers and regions, trimmed, without empty entries or repeats", () => {
        const settings = parseStackConfig("prod", {
          ...REGION,
          "talentbase-iam:alertEmails": " security@example.com,,oncall@example.com , security@example.com",
          "talentbase-iam:trustedCallers": "arn:aws:iam::123456789012:role/deployer, arn:aws:iam::123456789012:role/deployer",
          "talentbase-iam:monitoringRegions": "eu-west-1, us-east-1,eu-west-1",
        });
        expect(settings).to.deep.include({
          alertEmails: ["security@example.com", "oncall@example.com"],
          trustedCallers: ["arn:aws:iam::123456789012:role/deployer"],
          monitoringRegions: ["eu-west-1", "us-east-1"],
        });
      });

      for (const arn of [
        "arn:aws:iam::123456789012:user/alice",
        "arn:aws:iam::123456789012:user/operators/alice@example.com",
        "arn:aws:iam::123456789012:role/ci/talentbase-deployer",
        "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef",
      ]) {
        it(`trusts the IAM principal ${arn}`, () => {
          expect(parseStackConfig("prod", { ...REGION, "talentbase-iam:trustedCallers": arn }).trustedCallers).to.deep.equal([arn]);
        });
      }

      it("refuses an assumed-role session as a trusted caller and names the role's ARN as the form to use", () => {
        const session = "arn:aws:sts::123456789012:assumed-role/deployer/gha-run-42";
        expect(problemsOf("prod", { ...REGION, "talentbase-iam:trustedCallers": session })).to.deep.equal([
          `talentbase-iam:trustedCallers must be IAM role ARNs, not sessions of them: name the role (arn:aws:iam::123456789012:role/deployer), which CloudTrail records as the session's issuer, got "${session}"`,
        ]);
      });

      for (const caller of ["deployer", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:group/admins", "arn:aws:iam::1234:role/deployer"]) {
        it(`refuses ${JSON.stringify(caller)} as a trusted caller`, () => {
          expect(problemsOf("prod", { ...REGION, "talentbase-iam:trustedCallers": caller })).to.deep.equal([
            `talentbase-iam:trustedCallers must be a comma-separated list of IAM user and role ARNs such as arn:aws:iam::123456789012:role/deployer, got ${JSON.stringify(caller)}`,
          ]);
        });
      }

      it("refuses a trusted caller of another partition, and more callers than the rule's pattern holds", () => {
        expect(problemsOf("prod", { ...REGION, "talentbase-iam:trustedCallers": "arn:aws-cn:iam::123456789012:role/deployer" })).to.deep.equal([
          'talentbase-iam:trustedCallers must be ARNs in partition aws, got "arn:aws-cn:iam::123456789012:role/deployer"',
        ]);
        const sso = (i: number) => `arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Operator${i}_0123456789abcdef`;
        const nine = Array.from({ length: 9 }, (_, i) => sso(i));
        expect(parseStackConfig("prod", { ...REGION, "talentbase-iam:trustedCallers": nine.join(",") }).trustedCallers).to.have.length(9);
        expect(problemsOf("prod", { ...REGION, "talentbase-iam:trustedCallers": [...nine, sso(9)].join(",") })[0]).to.contain(
          "must be ARNs of at most 1100 characters together (EventBridge limits the rule's event pattern to 2048)",
        );
      });

      for (const emails of ["security", "security@example", "a@example.com;b@example.com", "Security <security@example.com>"]) {
        it(`refuses the alert addresses ${JSON.stringify(emails)}`, () => {
          expect(problemsOf("prod", { ...REGION, "talentbase-iam:alertEmails": emails })).to.deep.equal([
            `talentbase-iam:alertEmails must be a comma-separated list of e-mail addresses such as security@example.com, got ${JSON.stringify(emails)}`,
          ]);
        });
      }

      it("refuses a monitoring region no partition has, or one of another partition", () => {
        expect(problemsOf("prod", { ...REGION, "talentbase-iam:monitoringRegions": "eu-west-1,eu-west-9" })).to.deep.equal([
          `talentbase-iam:monitoringRegions must be a comma-separated list of AWS regions, each a region the aws provider knows, such as us-east-1 or eu-west-1 (${KNOWN_REGIONS.length} known), got "eu-west-1,eu-west-9"`,
        ]);
        expect(problemsOf("prod", { ...REGION, "talentbase-iam:monitoringRegions": "cn-north-1" })).to.deep.equal([
          'talentbase-iam:monitoringRegions must be regions of partition aws, like aws:region, got "cn-north-1"',
        ]);
      });

      it("monitors GovCloud and China only from the partition's global event region, where EventBridge cannot forward between regions", () => {
        const gov = { "aws:region": "us-gov-west-1", "talentbase-iam:partition": "aws-us-gov" };
        expect(parseStackConfig("prod", gov).monitoring).to.equal(true);
        expect(parseStackConfig("prod", { "aws:region": "cn-north-1", "talentbase-iam:partition": "aws-cn" }).monitoring).to.equal(true);
        expect(problemsOf("prod", { ...gov, "aws:region": "us-gov-east-1" })).to.deep.equal([
          "talentbase-iam:monitoring must be false in aws-us-gov unless aws:region is us-gov-west-1 and monitoringRegions is empty (EventBridge cannot send events between regions there, and IAM's events arrive in us-gov-west-1), it is not set",
        ]);
        expect(problemsOf("prod", { ...gov, "talentbase-iam:monitoringRegions": "us-gov-east-1" })).to.have.length(1);
        expect(parseStackConfig("prod", { ...gov, "aws:region": "us-gov-east-1", "talentbase-iam:monitoring": "false" }).monitoring).to.equal(false);
      });

      it("alarms above 10,000 objects unless told otherwise", () => {
        expect(parseStackConfig("prod", REGION).objectCountAlarm).to.equal(10000);
        expect(parseStackConfig("prod", { ...REGION, "talentbase-iam:objectCountAlarm": "1" }).objectCountAlarm).to.equal(1);
      });

      for (const count of ["0", "-5", "1.5", "1e4", "ten", "", "99999999999999999999"]) {
        it(`refuses an object count alarm of ${JSON.stringify(count)}`, () => {
          expect(problemsOf("prod", { ...REGION, "talentbase-iam:objectCountAlarm": count })).to.deep.equal([
            `talentbase-iam:objectCountAlarm must be a whole number of objects, 1 or more, got ${JSON.stringify(count)}`,
          ]);
        });
      }
    });

    it("rejects a misspelled setting instead of silently using the default", () => {
      expect(problemsOf("dev", { ...REGION, "talentbase-iam:keyMaxAge": "30" })).to.deep.equal([
        `talentbase-iam:keyMaxAge is not a setting of this project (known: ${SETTING_NAMES.join(", ")})`,
      ]);
    });

    it("lists every problem in one error whose message names each key", () => {
      const raw = { "talentbase-iam:keyMaxAgeDays": "abc", "talentbase-iam:protect": "maybe" };
      expect(() => parseStackConfig("qa", raw))
        .to.throw(ConfigError)
        .with.property("message")
        .that.contains('Stack "qa" has invalid configuration:')
        .and.contains("stack name must be one of")
        .and.contains("aws:region must be")
        .and.contains('talentbase-iam:keyMaxAgeDays must be a whole number of days between 1 and 365, got "abc"')
        .and.contains('talentbase-iam:protect must be true or false, got "maybe"');
    });
  });
});
