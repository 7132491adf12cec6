/**
 * The verdict on a program's run, in the preview's process, from what arrived over the protocol once the program's
 * process has ended: the components' refusals and deploy-time findings (sent as data through the engine log, or read
 * from the text of the error when they came without it), the program's own errors, and the pack's policies run on
 * every resource it registered. Nothing of this runs where the program runs.
 */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policy/policies";
import { levelChangesOf as changesOf, organizationOfConfig, packConfigProblems } from "../policy/config";
import type { LevelChange } from "../policy/config";
import { runPolicies } from "../policy/run";
import { SourcePosition, Verdict, verdictOf, verdictOfViolation } from "../report/model";
import { leafStrings, redactText } from "../rules/redact";
import type { CapturedResource, MonitorRecord } from "./monitor";
import { stackPosition } from "./positions";
import { PreviewSetupError } from "./program";
import { defaultProviderOf, maskedResources, policyResources, secretValuesIn, withoutCredentials } from "./resources";
import type { RunnerEnding } from "./runner";
import { describeLoggedError, findingsInText, plainText, reportedFindingsOf } from "./runnerReports";
import type { PreviewResult } from "./verdicts";

/** What the preview runs: everything read and checked before the program starts. */
export interface ProgramRun {
    readonly programDir: string;
    /** The entry file the runner loads (for locations in reports). */
    readonly entry: string;
    /** The program as the runner is given it: Pulumi.yaml's `main`, else `.`. */
    readonly main: string;
    readonly project: string;
    readonly stack: string;
    readonly configSource: string;
    readonly config: Readonly<Record<string, string>>;
    /** The config keys whose values are secret (declared `secret: true` in Pulumi.yaml). */
    readonly secretKeys: readonly string[];
    /** The policy config as given: checked against the policies' schemas before the program runs. */
    readonly policyConfig: unknown;
    readonly accountId: string;
    readonly region: string;
    /** Where the policy config comes from, for messages ("" when there is none). */
    readonly policyConfigSource: string;
    /** Compile TypeScript without checking types. */
    readonly transpileOnly: boolean;
    /** False when Pulumi.yaml's `runtime.options.typescript` is false: the runner does not compile TypeScript. */
    readonly typescript: boolean;
}

/** The policy config's problems against the policies' schemas, as one message; undefined when it is valid. */
export function policyConfigRefusal(run: Pick<ProgramRun, "policyConfig" | "policyConfigSource">): string | undefined {
    const problems = packConfigProblems(run.policyConfig, policies);
    return problems.length === 0
        ? undefined
        : `${run.policyConfigSource} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p.path === "" ? "(the whole config)" : p.path}: ${p.message}`).join("\n")}`;
}

/** The policies a config sets to another level than their own: said in every report, so a disabled check is never silent. */
export const levelChangesOf = (config: Readonly<Record<string, unknown>>): LevelChange[] => changesOf(config, policies);

/** The program's folder as Node names its files (the real path), for positions in it. */
function realFolder(dir: string): string {
    try {
        return fs.realpathSync(dir);
    } catch {
        return dir;
    }
}

/** Every secret value the preview knows of: secret inputs, providers' credentials, the stack's secret config. */
export function knownSecrets(run: Pick<ProgramRun, "config" | "secretKeys">, record: Pick<MonitorRecord, "resources">): string[] {
    const secrets: string[] = [];
    for (const key of run.secretKeys) {
        if (run.config[key] !== undefined) {
            leafStrings(run.config[key], secrets);
        }
    }
    for (const r of record.resources) {
        secretValuesIn(r.inputs, secrets);
        if (r.type.startsWith("pulumi:providers:")) {
            withoutCredentials(r.inputs, secrets);
        }
    }
    return secrets;
}

/** A captured resource with every known secret replaced in its name, URNs and inputs (the same way everywhere, so links hold). */
function redactedResource(r: CapturedResource, secrets: readonly string[]): CapturedResource {
    if (secrets.length === 0) {
        return r;
    }
    const text = (s: string) => redactText(s, secrets);
    const deep = (v: unknown): unknown =>
        typeof v === "string" ? text(v) : Array.isArray(v) ? v.map(deep) : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), deep(x)])) : v;
    return {
        ...r,
        name: text(r.name),
        urn: text(r.urn),
        parent: text(r.parent),
        provider: text(r.provider),
        inputs: deep(r.inputs) as Record<string, unknown>,
        dependencies: r.dependencies.map(text),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [text(k), (v as string[]).map(text)])),
    };
}

const NEVER_FINISHED =
    "the program never finished: the promise it returned (or exported, or awaited at the top) never settled, and nothing was left to wait for. Make sure every promise it awaits resolves or rejects.";

/** Why a run that ended with nothing wrong logged has no verdict, or undefined when it finished. */
function unfinished(ending: RunnerEnding & { kind: "exited" }, record: MonitorRecord, errorsLogged: boolean): PreviewSetupError | undefined {
    const how = ending.signal ?? `exit code ${ending.code}`;
    const endedEarly = new PreviewSetupError(
        `the program ended its process (${how}) before it finished; a Pulumi program must not call process.exit (or be killed)`,
        "exit",
    );
    if (ending.signal !== null) {
        return endedEarly;
    }
    if (!record.stackOutputsRegistered()) {
        // Nothing was left to run, yet the program's code never came to its end: a promise that never settles.
        return record.shutdownSignaled() ? new PreviewSetupError(NEVER_FINISHED, "unsettled") : endedEarly;
    }
    // The runner signals shutdown once nothing is left to run, unless an error was logged: an exit without either
    // is the program's own (process.exit), and whatever was still to come was never registered.
    const clean = ending.code === 0 || ending.code === 32;
    return clean && (record.shutdownSignaled() || errorsLogged) ? undefined : endedEarly;
}

/**
 * Judges a run: throws a PreviewSetupError when there is nothing to judge (the program ran out of time, ended its
 * process, never finished), else the verdicts, the plan, and the program's errors.
 */
export async function judgeRun(run: ProgramRun, record: MonitorRecord, ending: RunnerEnding): Promise<PreviewResult> {
    if (ending.kind === "timeout") {
        throw new PreviewSetupError(
            ending.limit === "idle"
                ? `the program made no progress for ${ending.seconds} s (it neither worked nor registered, read or logged anything, and did not finish): ` +
                      "a timer or connection left open, or a wait for something that never comes. It was stopped, with every process it started. " +
                      "Give it longer with --timeout SECONDS."
                : `the program did not finish within ${ending.seconds} s in all (an endless loop, or a program larger than that allows); ` +
                      "it was stopped, with every process it started. Give it longer with --max-time SECONDS.",
            "timeout",
        );
    }
    if (ending.kind === "interrupted") {
        throw new PreviewSetupError(`the preview was interrupted (${ending.signal}); the program was stopped, with every process it started`, "interrupted");
    }

    const verdicts: Verdict[] = [];
    const programErrors: string[] = [];
    // Where each verdict's resource was constructed (the monitor kept it), else where its error was thrown.
    const sources = new Map(record.resources.filter((r) => r.source !== undefined).map((r) => [r.urn, r.source!]));
    const programDir = realFolder(run.programDir);
    const addVerdict = (v: Verdict, thrownAt?: SourcePosition) => {
        if (!verdicts.some((w) => w.message === v.message && w.urn === v.urn && w.path === v.path)) {
            const source = (v.urn === undefined ? undefined : sources.get(v.urn)) ?? thrownAt;
            verdicts.push(source === undefined ? v : { ...v, source });
        }
    };
    const noteError = (text: string) => {
        if (!programErrors.includes(text)) {
            programErrors.push(text);
        }
    };
    // The findings the components sent as data, each with the error it belongs to.
    const reported = record.logs
        .filter((l) => l.severity === "debug")
        .map((l) => ({ urn: l.urn, data: reportedFindingsOf(l.message) }))
        // A refusal or a failed check has an error among its findings (warnings alone explain no error).
        .filter((r): r is { urn: string; data: NonNullable<typeof r.data> } => r.data !== undefined && r.data.findings.some((f) => f.severity === "error"));
    for (const { urn, data } of reported) {
        data.findings
            .filter((f) => f.severity === "error")
            .forEach((f) => addVerdict(verdictOf(f, { level: "mandatory", judgedBy: "component", policy: "component", urn: urn === "" ? undefined : urn })));
    }
    const errors = record.logs.filter((l) => l.severity === "error");
    for (const logged of errors) {
        const text = plainText(logged.message);
        // The error a component reported its findings for (or an error that carries it: a resource whose input it failed).
        if (reported.some((r) => text.includes(plainText(r.data.message)))) {
            continue;
        }
        const inText = findingsInText(text);
        if (inText !== undefined) {
            // Thrown at construction: where in the program, from the error's stack (source-mapped for TypeScript).
            const thrownAt = stackPosition(text, programDir);
            for (const f of inText) {
                addVerdict(
                    {
                        policy: "component",
                        rule: f.ruleId,
                        constraints: f.constraints,
                        level: "mandatory",
                        message: f.message,
                        path: f.path,
                        ...(logged.urn === "" ? {} : { urn: logged.urn }),
                        ...(f.component === undefined ? {} : { type: `alicloud-sharing:index:${f.component.className}`, name: f.component.name }),
                        nodes: [],
                        judgedBy: "component",
                    },
                    thrownAt,
                );
            }
            continue;
        }
        noteError(describeLoggedError(text, run.programDir));
    }
    record.problems.forEach(noteError);
    if (programErrors.length === 0) {
        const reason = unfinished(ending, record, errors.length > 0);
        if (reason !== undefined) {
            throw reason;
        }
    }

    const defaultProvider = defaultProviderOf(run.project, run.stack, run.region, run.config["alicloud:accountId"]);
    const policyConfig = run.policyConfig as Record<string, unknown>;
    const violations = await runPolicies(policies, policyResources(record.resources, defaultProvider), policyConfig);
    for (const v of violations) {
        const verdict = verdictOfViolation(v, "pack");
        const source = verdict.urn === undefined ? undefined : sources.get(verdict.urn);
        verdicts.push(source === undefined ? verdict : { ...verdict, source });
    }
    // Nothing secret is printed: the plan shows `[secret]`, and no verdict or error quotes a secret the preview knows.
    const secrets = knownSecrets(run, record);
    // A known secret may also travel as a plain value (secret config read with `get`, a credential reused in a tag):
    // every string of the plan is redacted, so no format (the plan, the map, JSON, the page, Mermaid) can show it.
    const resources = maskedResources(record.resources)
        .map((r) => (r.type.startsWith("pulumi:providers:") ? { ...r, inputs: withoutCredentials(r.inputs) } : r))
        .map((r) => redactedResource(r, secrets));
    return {
        project: run.project,
        stack: run.stack,
        accountId: run.accountId,
        region: run.region,
        configSource: run.configSource,
        programDir: run.programDir,
        entry: path.relative(run.programDir, run.entry),
        resources,
        verdicts: verdicts.map((v) => ({ ...v, message: redactText(v.message, secrets), ...(v.fix === undefined ? {} : { fix: redactText(v.fix, secrets) }) })),
        programError: programErrors.length === 0 ? undefined : redactText(programErrors.join("\n"), secrets),
        levelChanges: levelChangesOf(policyConfig),
        organization: organizationOfConfig(policyConfig),
    };
}

