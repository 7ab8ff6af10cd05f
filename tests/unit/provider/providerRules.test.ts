import { expect } from "chai";
import { canonicalPolicy } from "../../../infra/policy/canonicalPolicy";
import { normalizeJson, sameJson } from "../../../sandbox/provider/aws/normalizedJson";
import { decodeLivePolicyDocument, equivalentPolicies } from "../../../sandbox/provider/aws/policyDocument";
import { tagChanges } from "../../../sandbox/provider/aws/tags";
import { unsupportedInputs } from "../../../sandbox/provider/checkInputs";
import { namePrefixFromName, prefixedUniqueId } from "../../../sandbox/provider/naming";
import { diffInputs, sameSet, sameValue } from "../../../sandbox/provider/propertyDiff";
import { parseUrn } from "../../../sandbox/provider/urn";
import { keepSecretness, secretValue, unwrapValue, withoutUndefined } from "../../../sandbox/provider/wireValues";

// The pure rules under the stand-in provider; no moto needed.
describe("stand-in aws provider: pure rules", () => {
  describe("policy equivalence", () => {
    const base = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws:s3:::b/*" }] };

    it("ignores key order, whitespace, action order and case, and one-element lists", () => {
      const same = {
        Statement: { Resource: ["arn:aws:s3:::b/*"], Action: ["S3:GetObject", "s3:putobject"], Effect: "Allow" },
        Version: "2012-10-17",
      };
      expect(equivalentPolicies(JSON.stringify(base), JSON.stringify(same, null, 2))).to.equal(true);
    });

    it("tells apart documents that grant different things", () => {
      const other = { ...base, Statement: [{ ...base.Statement[0], Resource: "arn:aws:s3:::other/*" }] };
      expect(equivalentPolicies(JSON.stringify(base), JSON.stringify(other))).to.equal(false);
      const moreActions = { ...base, Statement: [{ ...base.Statement[0], Action: ["s3:*"] }] };
      expect(equivalentPolicies(JSON.stringify(base), JSON.stringify(moreActions))).to.equal(false);
    });

    it("ignores statement order and condition value order", () => {
      const a = {
        Version: "2012-10-17",
        Statement: [
          { Sid: "A", Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": ["false"] } } },
          { Sid: "B", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
        ],
      };
      const b = { ...a, Statement: [a.Statement[1], { ...a.Statement[0], Condition: { Bool: { "aws:SecureTransport": "false" } } }] };
      expect(canonicalPolicy(a)).to.equal(canonicalPolicy(b));
    });

    it("decodes AWS's URL-encoded version documents and passes moto's raw ones through", () => {
      const raw = JSON.stringify(base);
      expect(decodeLivePolicyDocument(encodeURIComponent(raw))).to.equal(raw);
      expect(decodeLivePolicyDocument(raw)).to.equal(raw);
    });
  });

  describe("naming", () => {
    it("builds terraform's 26-character unique suffix and recovers the prefix from it", () => {
      const id = prefixedUniqueId("uploads-", new Date("2026-11-27T20:29:59.091Z"));
      expect(id).to.match(/^uploads-202611272029590910[0-9a-f]{8}$/);
      expect(namePrefixFromName(id)).to.equal("uploads-");
      expect(namePrefixFromName("talentbase-backend-dev-s3-policy")).to.equal(undefined);
    });

    it("reads the type token and logical name from a nested URN", () => {
      expect(parseUrn("urn:pulumi:dev::talentbase-iam::talentbase:iam:BackendS3User$aws:iam/user:User::backend-user")).to.deep.equal({
        type: "aws:iam/user:User",
        name: "backend-user",
      });
    });
  });

  describe("checking inputs", () => {
    it("names every input the program set that a handler does not implement, and nothing it left unset", () => {
      const failures = unsupportedInputs({ name: "t", tracingConfig: "Active", archivePolicy: undefined, __defaults: [] }, ["name"]);
      expect(failures).to.deep.equal([{ property: "tracingConfig", reason: "the stand-in aws provider does not support tracingConfig" }]);
    });
  });

  describe("wire values", () => {
    it("unwraps secrets and turns resource references into their id", () => {
      const reference = {
        "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e",
        urn: "urn:pulumi:x::y::aws:iam/user:User::u",
        id: "talentbase-backend-dev",
      };
      expect(unwrapValue({ user: reference, tags: secretValue({ a: "1" }) })).to.deep.equal({ user: "talentbase-backend-dev", tags: { a: "1" } });
    });

    it("re-wraps as secret what arrived secret, and drops undefined values the protocol cannot carry", () => {
      const outs = keepSecretness({ secret: secretValue("s"), user: "u" }, { secret: "s", user: "u", status: undefined });
      expect(withoutUndefined(outs)).to.deep.equal({ secret: secretValue("s"), user: "u" });
    });
  });

  describe("diffing", () => {
    it("treats unset, empty string and empty map alike, as terraform does", () => {
      expect(sameValue(undefined, {})).to.equal(true);
      expect(sameValue("", undefined)).to.equal(true);
      expect(sameValue({ a: "1", b: "2" }, { b: "2", a: "1" })).to.equal(true);
      expect(sameValue({ a: "1" }, {})).to.equal(false);
    });

    it("lets an optional computed input left out keep its old value", () => {
      const rules = { replaceOn: ["name"], updateInPlace: [], computedWhenAbsent: ["name"] };
      expect(diffInputs({ name: "chosen-by-provider" }, {}, rules).changes).to.equal(false);
    });

    it("compares terraform's sets without regard to order or repeats", () => {
      expect(sameSet(["b", "a"], ["a", "b", "a"])).to.equal(true);
      expect(sameSet(["a"], ["a", "b"])).to.equal(false);
      expect(sameSet(undefined, [])).to.equal(true);
    });

    it("normalizes JSON documents as terraform's state holds them: compact, keys sorted, array order kept", () => {
      expect(normalizeJson('{ "source": ["aws.iam"], "detail": { "b": 1, "a": [2, 1] } }')).to.equal('{"detail":{"a":[2,1],"b":1},"source":["aws.iam"]}');
      expect(sameJson('{"a":[1,2]}', '{ "a": [1, 2] }')).to.equal(true);
      expect(sameJson('{"a":[1,2]}', '{"a":[2,1]}')).to.equal(false);
      expect(sameJson(undefined, "")).to.equal(true);
    });

    it("computes the tag calls: set new and changed keys, remove dropped ones", () => {
      expect(tagChanges({ a: "1", b: "2", c: "3" }, { a: "1", b: "9", d: "4" })).to.deep.equal({
        toSet: [
          { Key: "b", Value: "9" },
          { Key: "d", Value: "4" },
        ],
        toRemove: ["c"],
      });
    });
  });
});
