import { expect } from "chai";
import type { RotationPhase } from "../../../infra/config";
import { RefusedError } from "../../../automation/errors";
import { planRotation, ROTATION_TRANSITIONS, type RotationDecision, type RotationMove, type RotationPlan } from "../../../automation/rotation/transitions";

const situation = (phase: RotationPhase, oldKeyInState = phase === "started" || phase === "old-key-inactive" || phase === "contained") => ({
  stack: "prod" as const,
  phase,
  slot: "a" as const,
  oldKeyInState,
});

function planOf(decision: RotationDecision): RotationPlan {
  if ("refusal" in decision) throw new Error(`refused: ${decision.refusal.message}`);
  return decision.plan;
}

function refusalOf(decision: RotationDecision): string {
  if (!("refusal" in decision)) throw new Error("planned, not refused");
  expect(decision.refusal, "a refusal for the stack's state, changing nothing: exit 1").to.be.instanceOf(RefusedError);
  return decision.refusal.message;
}

/** A plan's steps as [slot, phase, guard] triples. */
const stepsOf = (plan: RotationPlan) => plan.steps.map((step) => [step.slot, step.phase, step.guard ?? "-"]);

describe("the rotation's transition table", () => {
  it("has a cell for every move in every phase", () => {
    const phases: RotationPhase[] = ["idle", "started", "old-key-inactive", "finishing", "contained"];
    for (const move of Object.keys(ROTATION_TRANSITIONS) as RotationMove[]) {
      for (const phase of phases) expect(() => planRotation(move, situation(phase)), `${move} from ${phase}`).not.to.throw();
    }
  });

  describe("start", () => {
    it("idle: a new key in the other slot, only with room for it, verified as started, then the deploy and the finish to do", () => {
      const plan = planOf(planRotation("start", situation("idle")));
      expect(stepsOf(plan)).to.deep.equal([["other", "started", "room-for-new-key"]]);
      expect(plan.steps[0]!.question).to.equal("Create a new access key for prod and switch its outputs to it? The old key stays Active.");
      expect(plan).to.deep.include({ resumes: false, verify: { what: "the new key", as: "started" } });
      expect(plan.settlesAt).to.equal(undefined);
      const steps = plan.nextSteps({ newKeyId: "AKIANEW", oldKeyId: "AKIAOLD" });
      expect(steps[0]).to.equal("The stack's outputs now name the new key AKIANEW; the old key AKIAOLD stays Active until you finish.");
      expect(steps.at(-1)).to.equal("Once it runs on the new key: `npm run rotate -- prod finish`.");
    });

    it("idle with the old key still in the state: refused, a finish did not complete", () => {
      expect(refusalOf(planRotation("start", situation("idle", true)))).to.include("a previous `rotate prod finish` did not complete");
    });

    it("started: resumes in the same slot, no guard (the room is the rotation's own)", () => {
      const plan = planOf(planRotation("start", situation("started")));
      expect(stepsOf(plan)).to.deep.equal([["same", "started", "-"]]);
      expect(plan.resumes).to.equal(true);
    });

    it("contained after an emergency: refused, finish deletes the cut-off key first", () => {
      expect(refusalOf(planRotation("start", situation("contained")))).to.equal(
        "an emergency rotation of stack prod left the old key Inactive: `npm run rotate -- prod finish` deletes it first",
      );
    });

    it("paused or finishing: refused, naming finish (and reactivate when paused)", () => {
      expect(refusalOf(planRotation("start", situation("old-key-inactive"))))
        .to.include("`npm run rotate -- prod finish`")
        .and.include("`npm run rotate -- prod reactivate`");
      expect(refusalOf(planRotation("start", situation("finishing")))).to.equal(
        "the previous rotation of stack prod is still finishing: run `npm run rotate -- prod finish` first",
      );
    });
  });

  describe("finish", () => {
    it("started: Inactive behind the in-use guard, then deleted; verified as idle; idle once verified", () => {
      const plan = planOf(planRotation("finish", situation("started")));
      expect(stepsOf(plan)).to.deep.equal([
        ["same", "old-key-inactive", "old-key-unused"],
        ["same", "finishing", "-"],
      ]);
      expect(plan.steps.map((step) => step.question)).to.deep.equal(["Make the old access key of prod Inactive?", "Delete the old access key of prod?"]);
      expect(plan).to.deep.include({ verify: { what: "the stack's key", as: "idle" }, settlesAt: "idle" });
      expect(plan.nextSteps({ newKeyId: "AKIANEW" })).to.deep.equal(["Rotation finished: the old key is deleted. Commit Pulumi.prod.yaml."]);
    });

    it("paused, finishing, contained, or idle with the old key still in the state: the delete alone", () => {
      const phases = [situation("old-key-inactive"), situation("finishing"), situation("contained"), situation("idle", true)];
      for (const decision of phases.map((at) => planRotation("finish", at))) {
        expect(stepsOf(planOf(decision))).to.deep.equal([["same", "finishing", "-"]]);
      }
    });

    it("idle with one key: refused, nothing to finish", () => {
      expect(refusalOf(planRotation("finish", situation("idle")))).to.equal(
        "no key rotation is in progress on stack prod: `npm run rotate -- prod start` begins one, `npm run rotate -- prod status` shows the keys",
      );
    });
  });

  describe("pause (finish --deactivate-only)", () => {
    it("started: Inactive behind the guard, no verification, next steps say how to undo or finish", () => {
      const plan = planOf(planRotation("pause", situation("started")));
      expect(stepsOf(plan)).to.deep.equal([["same", "old-key-inactive", "old-key-unused"]]);
      expect(plan.verify).to.equal(undefined);
      expect(plan.nextSteps({ newKeyId: "AKIANEW" })[1]).to.equal(
        "If something broke: `npm run rotate -- prod reactivate`. Otherwise `npm run rotate -- prod finish` deletes it.",
      );
    });

    it("already paused: resumes without the guard", () => {
      const plan = planOf(planRotation("pause", situation("old-key-inactive")));
      expect(stepsOf(plan)).to.deep.equal([["same", "old-key-inactive", "-"]]);
      expect(plan.resumes).to.equal(true);
    });

    it("contained: refused, the key is already Inactive and finish deletes it", () => {
      expect(refusalOf(planRotation("pause", situation("contained")))).to.equal(
        "the old key of stack prod is already Inactive after an emergency rotation: `npm run rotate -- prod finish` deletes it",
      );
    });

    it("while deleting: refused, finish completes it; idle: refused", () => {
      expect(refusalOf(planRotation("pause", situation("finishing")))).to.include("already being deleted");
      expect(refusalOf(planRotation("pause", situation("idle", true)))).to.include("already being deleted");
      expect(refusalOf(planRotation("pause", situation("idle")))).to.include("no key rotation is in progress on stack prod");
    });
  });

  describe("reactivate", () => {
    it("paused: the old key Active again (started), no verification", () => {
      const plan = planOf(planRotation("reactivate", situation("old-key-inactive")));
      expect(stepsOf(plan)).to.deep.equal([["same", "started", "-"]]);
      expect(plan.steps[0]!.question).to.equal("Turn the old access key of prod back on?");
      expect(plan.verify).to.equal(undefined);
    });

    it("contained: refused, a key cut off in an emergency stays off; its consumers take the new key from the outputs", () => {
      expect(refusalOf(planRotation("reactivate", situation("contained")))).to.equal(
        "the old key of stack prod was cut off by an emergency rotation and stays Inactive: its consumers take the new key from the outputs (`npm run outputs -- prod --format env --show-secrets --out <file outside git>`)",
      );
    });

    it("any other phase: refused, naming the phase", () => {
      for (const phase of ["idle", "started", "finishing"] as const) {
        expect(refusalOf(planRotation("reactivate", situation(phase)))).to.equal(
          `stack prod has no Inactive old key to turn back on (rotation phase: ${phase}; \`npm run rotate -- prod status\` shows the keys)`,
        );
      }
    });
  });

  describe("emergency", () => {
    const contain = ["other", "contained", "room-for-new-key"];

    it("idle: one update makes a new key and the old one Inactive, with room for it and no in-use guard; verified as contained; the topic told", () => {
      const plan = planOf(planRotation("emergency", situation("idle")));
      expect(stepsOf(plan)).to.deep.equal([contain]);
      expect(plan.steps[0]!.question).to.equal(
        "Cut off the access key of prod now? A new key replaces it in the outputs, and the old one goes Inactive at once: whatever still runs on it fails.",
      );
      expect(plan).to.deep.include({ resumes: false, verify: { what: "the new key", as: "contained" }, tellsAlertTopic: true });
      expect(plan.settlesAt).to.equal(undefined);
    });

    it("names the stack in every question, since every stack but the sandbox asks", () => {
      const plan = planOf(planRotation("emergency", { ...situation("started"), stack: "staging" }));
      expect(plan.steps.map((step) => step.question)).to.deep.equal([
        "Make the old access key of staging Inactive now, without checking its use?",
        "Delete the old access key of staging, to make room for a new key?",
        "Cut off the access key of staging now? A new key replaces it in the outputs, and the old one goes Inactive at once: whatever still runs on it fails.",
      ]);
    });

    it("started: both keys are suspect and IAM allows two: the old one Inactive (unguarded) and deleted, then the containment", () => {
      expect(stepsOf(planOf(planRotation("emergency", situation("started"))))).to.deep.equal([
        ["same", "old-key-inactive", "-"],
        ["same", "finishing", "-"],
        contain,
      ]);
    });

    it("paused, finishing, or idle with the old key still in the state: the delete, then the containment (an interrupted emergency from started continues so)", () => {
      for (const at of [situation("old-key-inactive"), situation("finishing"), situation("idle", true)]) {
        expect(stepsOf(planOf(planRotation("emergency", at))), at.phase).to.deep.equal([["same", "finishing", "-"], contain]);
      }
    });

    it("contained: run again, it resumes in the same slot without a guard, and never cuts off the new key", () => {
      const plan = planOf(planRotation("emergency", situation("contained")));
      expect(stepsOf(plan)).to.deep.equal([["same", "contained", "-"]]);
      expect(plan.resumes).to.equal(true);
      expect(plan.tellsAlertTopic).to.equal(true);
    });

    it("next steps: what is Inactive and what names the new key, committing the config, deploying Django, the runbook, finish, and a second emergency", () => {
      const steps = planOf(planRotation("emergency", situation("idle"))).nextSteps({ newKeyId: "AKIANEW", oldKeyId: "AKIAOLD" });
      expect(steps).to.deep.equal([
        "The old key AKIAOLD is Inactive; the stack's outputs (and its credentials secret, where it keeps one) name the new key AKIANEW.",
        "Commit Pulumi.prod.yaml: it records the emergency rotation.",
        "Deploy Django with the new key now: `npm run outputs -- prod --format env --show-secrets --out <file outside git>` (a Django that reads the secret picks it up at its next refresh, or restart it).",
        "Find what the old key did in CloudTrail (docs/monitoring.md, incident runbook); once that is done, `npm run rotate -- prod finish` deletes it.",
        "If the new key leaked too: `npm run rotate -- prod finish`, then `npm run rotate -- prod emergency` again.",
      ]);
    });

    it("is the only move that tells the alert topic", () => {
      for (const move of ["start", "finish", "pause", "reactivate"] as const) {
        for (const phase of ["idle", "started", "old-key-inactive", "finishing", "contained"] as const) {
          const decision = planRotation(move, situation(phase));
          if ("plan" in decision) expect(decision.plan.tellsAlertTopic, `${move} from ${phase}`).to.equal(undefined);
        }
      }
    });
  });
});
