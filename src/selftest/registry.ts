// In-game self tests: the same checks the emulator runs, available to a player as
// `/ogrh test all` or `/ogrh test <suite>`, so an install can be verified in the real client.

/** @noSelf */
export interface Check {
  ok: (condition: boolean, message: string) => void;
  eq: (actual: unknown, expected: unknown, message: string) => void;
}

/** @noSelf */
export interface SelfTestCase {
  name: string;
  run: (check: Check) => void;
}

export interface SuiteResult {
  passed: number;
  failed: number;
}

const suites: { name: string; cases: SelfTestCase[] }[] = [];

export function registerSuite(name: string, cases: SelfTestCase[]): void {
  suites.push({ name, cases });
}

export function suiteNames(): string[] {
  return suites.map((suite) => suite.name);
}

class CheckFailed {
  constructor(public readonly message: string) {}
}

const check: Check = {
  ok: (condition, message) => {
    if (!condition) throw new CheckFailed(message);
  },
  eq: (actual, expected, message) => {
    if (actual !== expected) {
      throw new CheckFailed(message + " (got " + String(actual) + ", expected " + String(expected) + ")");
    }
  },
};

function describeError(err: unknown): string {
  if (err instanceof CheckFailed) return err.message;
  return "error: " + String(err);
}

/** Runs the named suites ("all" for every one); prints a line per case and a summary. */
export function runSuites(which: string, print: (line: string) => void): SuiteResult | undefined {
  const selected = suites.filter((suite) => which === "all" || suite.name === which);
  if (selected.length === 0) return undefined;
  const result: SuiteResult = { passed: 0, failed: 0 };
  for (const suite of selected) {
    for (const testCase of suite.cases) {
      let failure: string | undefined;
      try {
        testCase.run(check);
      } catch (err) {
        failure = describeError(err);
      }
      if (failure === undefined) {
        result.passed = result.passed + 1;
        print("|cff20ff20PASS|r " + suite.name + ": " + testCase.name);
      } else {
        result.failed = result.failed + 1;
        print("|cffff2020FAIL|r " + suite.name + ": " + testCase.name + " - " + failure);
      }
    }
  }
  print("OGRH self test: " + result.passed + " passed, " + result.failed + " failed");
  return result;
}
