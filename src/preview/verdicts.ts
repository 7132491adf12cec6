/** What a preview reports: verdicts (policy violations and components' refusals) and the captured plan. */
import type { OrganizationFile } from "../graph/organization";
import type { LevelChange } from "../policy/config";
import type { Verdict as ReportVerdict } from "../report/model";
import type { CapturedResource } from "./monitor";

export type { LevelChange } from "../policy/config";

export interface PreviewResult {
    readonly project: string;
    readonly stack: string;
    readonly accountId: string;
    readonly region: string;
    readonly configSource: string;
    /** The program's folder. */
    readonly programDir: string;
    /** The program's entry file, relative to its folder. */
    readonly entry: string;
    readonly resources: readonly CapturedResource[];
    readonly verdicts: readonly ReportVerdict[];
    /** The program's own error (or errors), when it failed for a reason other than a rule. */
    readonly programError?: string;
    /** The policies the policy config sets to another level than their own (a disabled policy judges nothing). */
    readonly levelChanges?: readonly LevelChange[];
    /** The organization the policy config gives (its directory and folders), for the report to group recipients by. */
    readonly organization?: OrganizationFile;
}

/** How long a program may go without progress when no limit is given, in seconds (`--timeout`'s default). */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/** How long a program may run in all when no limit is given, in seconds (`--max-time`'s default). */
export const DEFAULT_MAX_TIME_SECONDS = 3600;

/** 0 when no mandatory verdict, 1 when any, 2 when the program failed. */
export function exitCodeOf(result: PreviewResult): number {
    if (result.programError !== undefined) {
        return 2;
    }
    return result.verdicts.some((v) => v.level === "mandatory") ? 1 : 0;
}
