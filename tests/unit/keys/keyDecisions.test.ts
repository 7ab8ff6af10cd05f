import { expect } from "chai";
import { bookKeys, describeKey } from "../../../automation/keys/keyBook";
import { judgeRetirement, retirableRole } from "../../../automation/keys/retirementGuard";
import { rotationSchedule } from "../../../automation/keys/rotationSchedule";
import type { UserKey } from "../../../automation/keys/userKeys";

const NOW = new Date("2026-11-28T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const key = (id: string, createdAt: Date, lastUsed?: Date): UserKey => ({
  id,
  status: "Active",
  createdAt,
  ...(lastUsed ? { lastUsed: { at: lastUsed, service: "s3", region: "us-east-1" } } : {}),
});

describe("key bookkeeping", () => {
  it("gives every key of the user its role for the stack", () => {
    const keys = [key("AKIACURRENT", daysAgo(1)), key("AKIAOLD", daysAgo(80)), key("AKIALEGACY", daysAgo(400)), key("AKIASTRAY", daysAgo(2))];
    const booked = bookKeys(keys, { current: "AKIACURRENT", retiring: "AKIAOLD", unmanaged: ["AKIALEGACY"] });
    expect(booked.map((booked) => [booked.id, booked.role])).to.deep.equal([
      ["AKIACURRENT", "current"],
      ["AKIAOLD", "retiring"],
      ["AKIALEGACY", "unmanaged"],
      ["AKIASTRAY", "unknown"],
    ]);
    expect(retirableRole("unmanaged") && retirableRole("unknown")).to.equal(true);
    expect(retirableRole("current") || retirableRole("retiring")).to.equal(false);
  });

  it("describes a key by id, status, age and last use", () => {
    expect(describeKey(key("AKIA1", daysAgo(3), minutesAgo(5)), NOW)).to.equal("AKIA1 (Active, 3 days old, last used 2026-11-28T11:55:00Z (s3, us-east-1))");
    expect(describeKey(key("AKIA2", daysAgo(1)), NOW)).to.equal("AKIA2 (Active, 1 day old, never used)");
  });
});

describe("the retirement guard", () => {
  const replacement = (lastUsedMinutesAgo?: number) =>
    key("AKIANEW", minutesAgo(60), lastUsedMinutesAgo === undefined ? undefined : minutesAgo(lastUsedMinutesAgo));

  it("lets a key go that was not used since its replacement exists", () => {
    expect(judgeRetirement(key("AKIAOLD", daysAgo(80), minutesAgo(90)), replacement(1)).stillInUse).to.equal(false);
    expect(judgeRetirement(key("AKIAOLD", daysAgo(80)), replacement()).stillInUse).to.equal(false);
  });

  it("lets a key go whose consumers switched: its last use is older than the replacement's", () => {
    const verdict = judgeRetirement(key("AKIAOLD", daysAgo(80), minutesAgo(30)), replacement(1));
    expect(verdict.stillInUse).to.equal(false);
  });

  it("holds a key used after the replacement existed and more recently than it, naming the last use", () => {
    const verdict = judgeRetirement(key("AKIAOLD", daysAgo(80), minutesAgo(1)), replacement(30));
    expect(verdict.stillInUse).to.equal(true);
    expect(verdict.reason).to.equal(
      "AKIAOLD is still in use: last used 2026-11-28T11:59:00Z (s3, us-east-1), after AKIANEW was created and more recently than it",
    );
  });

  it("holds a key used after the replacement existed while the replacement was never used", () => {
    expect(judgeRetirement(key("AKIAOLD", daysAgo(80), minutesAgo(1)), replacement()).stillInUse).to.equal(true);
  });
});

describe("the rotation schedule", () => {
  const schedule = (phase: "idle" | "started" | "old-key-inactive" | "contained", keyAgeDays: number, limit = 90) =>
    rotationSchedule({ stack: "prod", phase, currentKeyCreated: daysAgo(keyAgeDays), keyMaxAgeDays: limit, now: NOW });

  it("names the next due date while the key is young", () => {
    expect(schedule("idle", 10).advice).to.equal("next rotation due 2027-02-16 (80 days)");
  });

  it("says to rotate, with the command, once the key is in its last tenth", () => {
    expect(schedule("idle", 48, 60).advice).to.equal("next rotation due 2026-12-10 (12 days)");
    expect(schedule("idle", 55, 60).advice).to.equal("rotate in 5 days (by 2026-12-03): `npm run rotate -- prod start`");
    expect(schedule("idle", 61, 60).advice).to.equal("rotation overdue since 2026-11-27: `npm run rotate -- prod start`");
  });

  it("says what an open rotation waits for", () => {
    expect(schedule("started", 3).advice).to.equal("rotation started 3 days ago: deploy the new key, then `npm run rotate -- prod finish`");
    expect(schedule("old-key-inactive", 0).advice).to.include(
      "`npm run rotate -- prod finish` deletes it, `npm run rotate -- prod reactivate` turns it back on",
    );
  });

  it("after an emergency, names the finish once CloudTrail was read, and no reactivation", () => {
    expect(schedule("contained", 0).advice).to.equal(
      "emergency rotation today: the old key is Inactive; once CloudTrail shows what it did, `npm run rotate -- prod finish` deletes it",
    );
  });
});
