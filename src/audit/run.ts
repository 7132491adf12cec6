/**
 * The audit: reads what an account shares today (read only, through Alibaba's official SDK packages and the default
 * credential chain), turns it into the raw-resource view the policy pack judges, runs every policy of the pack with
 * the given policy config, and draws the sharing map; with an intended file, the drift from the stack.
 */
import * as fs from "fs";
import { isRegionId } from "../alibaba/ids";
import type { OrganizationFile } from "../graph/organization";
import { LevelChange, levelChangesOf, organizationOfConfig } from "../policy/config";
import { policies } from "../policy/policies";
import { Verdict, verdictOfViolation } from "../report/model";
import { terminalText } from "../report/safe";
import { apiSettings } from "../sdk/settings";
import { AuditContext, Deadline, ReadProgress, auditContext, deadlineError } from "./clients";
import { Drift, driftOf, readIntended } from "./drift";
import { JudgedViolation, PolicyConfig, judgeResources } from "./judge";
import { AccountRead, NotInEffect, notInEffect } from "./model";
import { readAccount } from "./read";
import { AuditResource, auditView, withDirectoryMembers, withReceivedSnapshots } from "./view";

/** The environment variable that points the SDK at another endpoint (`host:port`, plain HTTP): an emulator. */
export const ENDPOINT_VARIABLE = "ALICLOUD_SHARING_ENDPOINT";
/** The region asked for the lists of regions when none is given or configured. */
export const DEFAULT_HOME_REGION = "cn-hangzhou";
/** Requests in flight at once, by default. */
export const DEFAULT_CONCURRENCY = 8;
/** How long the whole reading may take, by default: five minutes. */
export const DEFAULT_DEADLINE_MS = 300_000;

/** What to audit, and how. */
export interface AuditOptions {
    /** The regions to audit; none: every region the account has (ECS DescribeRegions). */
    readonly regions?: readonly string[];
    /** The policy config, by policy name, as `pulumi preview --policy-pack-config` takes it. */
    readonly policyConfig?: PolicyConfig;
    /** A file holding the policy config (used when `policyConfig` is not given). */
    readonly policyConfigFile?: string;
    /** What the stack declares: the parsed JSON of `alicloud-sharing preview --format json` or of `pulumi stack export`. */
    readonly intended?: unknown;
    /** A file holding it (used when `intended` is not given). */
    readonly intendedFile?: string;
    /** An endpoint override (`host:port`, plain HTTP) for every product and region. Defaults to `ALICLOUD_SHARING_ENDPOINT`. */
    readonly endpoint?: string;
    /**
     * The environment: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN`
     * (else Alibaba's default credential chain), `ALIBABA_CLOUD_REGION_ID`, `ALICLOUD_SHARING_ENDPOINT`. Defaults to `process.env`.
     */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Requests in flight at once. Defaults to 8. */
    readonly concurrency?: number;
    /** How long one request may wait for its answer, in milliseconds. Defaults to 30,000. */
    readonly timeoutMs?: number;
    /**
     * How long the whole reading may take, in milliseconds: past it no request is sent, none waits longer, and the
     * audit fails with `DeadlineExceeded`. Defaults to 300,000 (five minutes).
     */
    readonly deadlineMs?: number;
    /** The most pages one list may take before the audit fails (`TooManyPages`). Defaults to 10,000. */
    readonly maxPages?: number;
    /** Called as the reading goes (each answer, each page): for a progress display. */
    readonly onProgress?: (progress: ReadProgress) => void;
    /** Retries of a request. Defaults to 5. */
    readonly maxRetries?: number;
    /** The first backoff delay, in milliseconds. Defaults to 200. */
    readonly retryBaseDelayMs?: number;
}

/** What the audit found. */
export interface AuditResult {
    readonly accountId: string;
    /** The regions audited. */
    readonly regions: readonly string[];
    /** Everything read, as data. */
    readonly read: AccountRead;
    /** What was read, as the raw resources the pack judged. */
    readonly resources: readonly AuditResource[];
    /** The pack's verdicts, each from a violation's finding. */
    readonly verdicts: readonly Verdict[];
    /** The policies the policy config sets to another level than their own (a disabled policy judges nothing). */
    readonly levelChanges: readonly LevelChange[];
    /** The organization the policy config gives (its directory and folders), for the report to group recipients by. */
    readonly organization?: OrganizationFile;
    /** The requests sent (each attempt counts), in all and by `product:Action`, and the most in flight at once. */
    readonly requests: { readonly total: number; readonly byAction: Readonly<Record<string, number>>; readonly peakConcurrency: number };
    /** The drift from the stack, when an intended file was given. */
    readonly drift?: Drift;
    /** What the reading and the judging could not cover, said plainly (the read's notes, and judgments left out). */
    readonly notes: readonly string[];
    /** What shares hold that is not in effect (a share being deleted, a failed or leaving association): shown, not judged. */
    readonly notInEffect: readonly NotInEffect[];
    /** What was not read because an answer was not valid: the audit is incomplete, and exits 2. */
    readonly incomplete: readonly string[];
    /** How long the audit took, in milliseconds. */
    readonly durationMs: number;
    /** Of which reading the account, judging it (the raw-resource view and every policy) and comparing it with the stack (the drift). */
    readonly timings: { readonly readMs: number; readonly judgeMs: number; readonly reportMs: number };
}

/** A problem with the options or the files: the audit cannot run. */
export class AuditSetupError extends Error {}

export function readJson(file: string, what: string): unknown {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new AuditSetupError(`cannot read the ${what} ${terminalText(file)}: ${terminalText((e as Error).message)}`);
    }
}

/** Checks the options that need no request: regions, endpoint, concurrency. */
export function checked(options: AuditOptions, env: Readonly<Record<string, string | undefined>>): { regions: string[]; endpoint?: string; concurrency: number } {
    const regions = [...(options.regions ?? [])];
    const bad = regions.filter((r) => !isRegionId(r));
    if (bad.length > 0) {
        throw new AuditSetupError(`not a region id: ${terminalText(bad.join(", "))} (a region id looks like cn-hangzhou or ap-southeast-1)`);
    }
    const endpoint = options.endpoint ?? (env[ENDPOINT_VARIABLE] || undefined);
    if (endpoint !== undefined && !/^[A-Za-z0-9.-]+:[0-9]{1,5}$/.test(endpoint)) {
        throw new AuditSetupError(`the endpoint override is host:port (plain HTTP, for an emulator), not ${terminalText(endpoint)}`);
    }
    for (const [name, value] of [["timeoutMs", options.timeoutMs], ["deadlineMs", options.deadlineMs], ["maxPages", options.maxPages]] as const) {
        if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
            throw new AuditSetupError(`${name} is a whole number of at least 1, not ${value}`);
        }
    }
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
        throw new AuditSetupError(`the concurrency is a whole number from 1 to 64, not ${terminalText(concurrency)}`);
    }
    return { regions, endpoint, concurrency };
}

/**
 * Audits the account of the credential: reads it (throws the `AlibabaApiError` of a call that failed after its
 * retries), judges it with every policy of the pack, draws the map and, with an intended file, the drift. Throws
 * {@link AuditSetupError} for bad options or files, before any request.
 */
export async function runAudit(options: AuditOptions = {}): Promise<AuditResult> {
    const started = Date.now();
    const env = options.env ?? process.env;
    const { regions, endpoint, concurrency } = checked(options, env);
    const policyConfig = options.policyConfig ?? (options.policyConfigFile === undefined ? {} : (readJson(options.policyConfigFile, "policy config") as PolicyConfig));
    const intendedDocument = options.intended ?? (options.intendedFile === undefined ? undefined : readJson(options.intendedFile, "intended file"));
    let intended;
    try {
        intended = intendedDocument === undefined ? undefined : readIntended(intendedDocument);
    } catch (e) {
        throw new AuditSetupError(terminalText((e as Error).message));
    }
    const home = regions[0] ?? (env.ALIBABA_CLOUD_REGION_ID || DEFAULT_HOME_REGION);
    const settings = apiSettings({ env, region: home, endpoint, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries, retryBaseDelayMs: options.retryBaseDelayMs });
    const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const deadline: Deadline = { at: started + deadlineMs, ms: deadlineMs };
    const ctx = auditContext(settings, concurrency, { maxPages: options.maxPages, deadline, onProgress: options.onProgress });

    const read = await withinDeadline(readAccount(ctx, regions), ctx, deadline);
    const readAt = Date.now();
    const resources = auditView(read);
    const judged = verdictsOf(judgeResources(resources, withDirectoryMembers(withReceivedSnapshots(policyConfig, read), read)));
    // Trust no share of the regions read needs may be needed by a share of a region not read: not judged then.
    const { verdicts, unjudgedNotes } = withoutStaleTrust(judged, read.allRegions);
    const notes = [
        ...read.notes,
        ...(read.allRegions
            ? []
            : [`Only the regions given were read (${read.regions.join(", ")}): shares the stack declares in other regions are not compared, and trust only they could need is not judged.`]),
        ...unjudgedNotes,
    ];
    const judgedAt = Date.now();
    const organization = organizationOfConfig(policyConfig);
    const drift = intended === undefined ? undefined : driftOf(read, intended);
    return {
        accountId: read.accountId,
        regions: read.regions,
        read,
        resources,
        verdicts,
        levelChanges: levelChangesOf(policyConfig, policies),
        ...(organization === undefined ? {} : { organization }),
        requests: { total: ctx.log.total, byAction: ctx.log.byAction(), peakConcurrency: ctx.limiter.peak },
        ...(drift === undefined ? {} : { drift }),
        notes,
        notInEffect: notInEffect(read.shares),
        incomplete: read.incomplete,
        durationMs: Date.now() - started,
        timings: { readMs: readAt - started, judgeMs: judgedAt - readAt, reportMs: Date.now() - judgedAt },
    };
}

/** The rule's fix for trust no encrypted share needs (`trust-matches-targets`): what cannot be judged from some regions only. */
const STALE_TRUST_FIX = "Remove them from the role's trust policy.";
const isStaleTrust = (v: Verdict): boolean => v.rule === "trust-matches-targets" && v.fix === STALE_TRUST_FIX;

/** The account of a live object, from its URN in the audit's view (`urn:pulumi:audit::<account>::…`). */
export const accountOfUrn = (urn: string | undefined): string | undefined => /^urn:pulumi:audit::([0-9]{16})::/.exec(urn ?? "")?.[1];

/** The judge's violations as verdicts: each from its finding, at its level, with the account of its live object. */
export function verdictsOf(violations: readonly JudgedViolation[]): Verdict[] {
    return violations.map((v) => {
        const verdict = verdictOfViolation(v, "audit");
        const accountId = accountOfUrn(verdict.urn);
        return accountId === undefined ? verdict : { ...verdict, accountId };
    });
}

/**
 * The verdicts without trust that no share of the regions read needs, when not every region was read (a share of a
 * region not read may need it): a note for each instead.
 */
export function withoutStaleTrust(judged: readonly Verdict[], allRegions: boolean): { verdicts: Verdict[]; unjudgedNotes: string[] } {
    const unjudged = allRegions ? [] : judged.filter(isStaleTrust);
    return {
        verdicts: judged.filter((v) => !unjudged.includes(v)),
        unjudgedNotes: unjudged.map(
            (v) =>
                `${v.name ?? v.urn} trusts ${/trusts (.*), which no encrypted share targets/.exec(v.message)?.[1] ?? "principals"}, which no encrypted share of the regions read targets; ` +
                "a share in a region not read may: not judged (audit every region to judge it).",
        ),
    };
}

/** The reading, or the deadline's error when it falls first (no request is sent after it, and none waits past it). */
export function withinDeadline<T>(reading: Promise<T>, ctx: AuditContext, deadline: Deadline): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(deadlineError(deadline, ctx.progress, ctx.waiting())), Math.max(0, deadline.at - Date.now()));
    });
    // Past the deadline the reading still settles (its requests refused or cut): its outcome is not wanted then.
    reading.catch(() => undefined);
    return Promise.race([reading, expired]).finally(() => clearTimeout(timer));
}

/**
 * 1 with a mandatory violation (as `preview`); else 2 when the audit is incomplete (an answer it could not use: it
 * cannot say the account is clean); else 0. 2 is also for an audit that could not run.
 */
export const auditExitCode = (result: AuditResult): number => (result.verdicts.some((v) => v.level === "mandatory") ? 1 : result.incomplete.length > 0 ? 2 : 0);
