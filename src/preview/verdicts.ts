/** What a preview reports: verdicts (policy violations and components' refusals) and the captured plan. */
import { Finding, formatFinding } from "../rules/types";
import type { CapturedResource } from "./monitor";

/** One verdict: a policy violation, or a component's refusal of its arguments; rendered from a finding when there is one. */
export interface Verdict {
    /** The policy, or `component` for an argument a component refused. */
    readonly policy: string;
    /** The rule id, when the verdict comes from a rule of the registry. */
    readonly rule?: string;
    readonly constraints: readonly string[];
    readonly level: "mandatory" | "advisory";
    /** The message, `[ids] what is wrong. The fix. (rule …)`. */
    readonly message: string;
    /** What to do instead. */
    readonly fix?: string;
    /** The argument (of a component) or property (of a resource) at fault. */
    readonly path?: string;
    /** The URN of the component or resource at fault. */
    readonly urn?: string;
    /** The type token of the component or resource at fault. */
    readonly type?: string;
    /** The name of the component or resource at fault. */
    readonly name?: string;
}

/** A verdict rendered from a finding: the finding's own fields, its message in the `[ids] … (rule …)` form. */
export function verdictOfFinding(policy: string, finding: Finding, level: Verdict["level"], urn?: string): Verdict {
    return {
        policy,
        rule: finding.ruleId,
        constraints: [...finding.constraints],
        level,
        message: formatFinding(finding),
        fix: finding.fix,
        path: finding.path,
        urn: finding.subject?.urn ?? urn,
        type: finding.subject?.type,
        name: finding.subject?.name,
    };
}

export interface PreviewResult {
    readonly project: string;
    readonly stack: string;
    readonly accountId: string;
    readonly region: string;
    readonly configSource: string;
    /** The program's entry file, relative to its folder. */
    readonly entry: string;
    readonly resources: readonly CapturedResource[];
    readonly verdicts: readonly Verdict[];
    /** The program's own error (or errors), when it failed for a reason other than a rule. */
    readonly programError?: string;
    /** The policies the policy config sets to another level than their own (a disabled policy judges nothing). */
    readonly levelChanges?: readonly LevelChange[];
}

/** A policy the config sets to another level than its own. */
export interface LevelChange {
    readonly policy: string;
    readonly level: string;
    readonly defaultLevel: string;
}

/** The program's time limit when none is given, in seconds (`--timeout`'s default). */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/** 0 when no mandatory verdict, 1 when any, 2 when the program failed. */
export function exitCodeOf(result: PreviewResult): number {
    if (result.programError !== undefined) {
        return 2;
    }
    return result.verdicts.some((v) => v.level === "mandatory") ? 1 : 0;
}
