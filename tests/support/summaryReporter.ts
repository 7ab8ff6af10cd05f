import Mocha from "mocha";

/**
 * mocha's spec reporter plus a plain closing line, "N passed, N failed, N skipped", which CI reads
 * whatever the test runner.
 */
class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      console.log(`${passes} passed, ${failures} failed, ${pending} skipped`);
    });
  }
}

export = SpecWithSummary;
