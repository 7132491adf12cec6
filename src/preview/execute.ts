/**
 * The program's run, inside the preview's child process: the program loaded under the mock runtime with its stack
 * config (TypeScript compiled and type-checked as `pulumi` does), every registration captured, every refused
 * component collected, then the policies run on what it registered. No Pulumi CLI, no cloud credentials.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { policies } from "../policy/policies";
import { collectRefusals, findingsOfError, subjectUrnOf } from "../rules/errors";
import { SECRET_MARK, leafStrings, redactText } from "../rules/redact";
import { Finding, formatFinding } from "../rules/types";
import { runPolicies } from "../policy/run";
import { captureRegistrations } from "./capture";
import { defaultProviderOf, maskedResources, policyResources, secretValuesIn } from "./resources";
import { registerTypeScript, typeErrorsOf } from "./typescript";
import type { LevelChange, PreviewResult, Verdict } from "./verdicts";
import { packConfigProblems, resolvedPolicyConfig } from "../policy/config";

/** What the child is asked to run: everything read and checked by the parent. */
export interface ProgramRun {
    readonly programDir: string;
    readonly entry: string;
    readonly project: string;
    readonly stack: string;
    readonly configSource: string;
    readonly config: Readonly<Record<string, string>>;
    /** The policy config as given: checked against the policies' schemas before the program runs. */
    readonly policyConfig: unknown;
    readonly accountId: string;
    readonly region: string;
    /** Where the policy config comes from, for messages ("" when there is none). */
    readonly policyConfigSource: string;
    /** Compile TypeScript without checking types. */
    readonly transpileOnly: boolean;
    /** False when Pulumi.yaml's `runtime.options.typescript` is false: `pulumi` would not compile TypeScript. */
    readonly typescript: boolean;
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

/** The URN of the component an error is about: the resource a deploy-time check failed on, or the refused component's would-be URN. */
async function urnOfError(error: unknown): Promise<string | undefined> {
    const urn = (error as { resource?: pulumi.Resource }).resource?.urn ?? subjectUrnOf(error);
    return urn === undefined ? undefined : await new Promise<string | undefined>((resolve) => {
        urn.apply((u) => resolve(u));
        setTimeout(() => resolve(undefined), 1000).unref();
    });
}

/** The verdicts an error of the program carries: a component's argument errors, or the findings of a deploy-time check. */
async function verdictsOfError(error: unknown): Promise<Verdict[]> {
    const findings = findingsOfError(error);
    if (findings === undefined) {
        return [];
    }
    const urn = await urnOfError(error);
    return findings.map((f) => verdictOfFinding("component", f, "mandatory", urn));
}

/** Something thrown that is not an Error, for people: its `message` when it has one, else its JSON, else its tag; never throwing. */
function describeThrown(value: unknown): string {
    try {
        const message = (value as { message?: unknown } | null)?.message;
        if (typeof message === "string") {
            return message;
        }
        return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
    } catch {
        return Object.prototype.toString.call(value);
    }
}

/**
 * The program's own error, for people: its message and where in the program it was thrown (the first stack frame in
 * the program's folder, outside node_modules), or the compiler's diagnostics for a type error.
 */
export function describeProgramError(error: unknown, programDir: string): string {
    const typeErrors = typeErrorsOf(error);
    if (typeErrors !== undefined) {
        return `the program does not type-check (pulumi preview checks it too; --transpile-only skips the check):\n${typeErrors.map((l) => `  ${l}`).join("\n")}`;
    }
    const message = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : describeThrown(error);
    const stack = error instanceof Error ? (error.stack ?? "") : "";
    const frame = stack
        .split("\n")
        .map((line) => line.match(/\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?$/))
        .find((m) => m !== null && m[1].startsWith(programDir + path.sep) && !m[1].includes(`${path.sep}node_modules${path.sep}`));
    return frame === undefined || frame === null ? message : `${message}\n    at ${path.relative(programDir, frame[1])}:${frame[2]}:${frame[3]}`;
}

/** The keys of a provider's inputs that hold credentials: shown as `[secret]` and never quoted, secret or not. */
const CREDENTIAL_INPUT = /^(accessKey|secretKey|securityToken|password|credentialsUri)$/i;

/**
 * Notes every value the program makes secret (`pulumi.secret`, and the config's secret getters, which call it), so no
 * message quotes one, even a value that never reaches a resource input. `@pulumi/pulumi` copies its modules' exports
 * into its index: both are wrapped.
 */
function recordSecrets(into: string[]): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const modules = [require("@pulumi/pulumi/output"), require("@pulumi/pulumi")] as { secret: (value: unknown) => unknown }[];
    const original = modules[0].secret;
    const recording = (value: unknown) => {
        const made = original(value) as pulumi.Output<unknown>;
        void made.apply((v) => {
            leafStrings(v, into);
            return v;
        });
        if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) {
            leafStrings(value, into);
        }
        return made;
    };
    for (const m of modules) {
        m.secret = recording;
    }
    // The config's secret getters make their outputs themselves: each output is noted as it resolves.
    const config = pulumi.Config.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ["getSecret", "requireSecret", "getSecretBoolean", "requireSecretBoolean", "getSecretNumber", "requireSecretNumber", "getSecretObject", "requireSecretObject"]) {
        const getter = config[name];
        if (typeof getter !== "function") {
            continue;
        }
        config[name] = function (this: unknown, ...args: unknown[]) {
            const made = getter.apply(this, args);
            if (pulumi.Output.isInstance(made)) {
                void made.apply((v) => {
                    leafStrings(v, into);
                    return v;
                });
            }
            return made;
        };
    }
}

/** The policy config's problems against the policies' schemas, as one message; undefined when it is valid. */
export function policyConfigRefusal(run: ProgramRun): string | undefined {
    const problems = packConfigProblems(run.policyConfig, policies);
    return problems.length === 0
        ? undefined
        : `${run.policyConfigSource} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p.path === "" ? "(the whole config)" : p.path}: ${p.message}`).join("\n")}`;
}

/** The policies a config sets to another level than their own: said in every report, so a disabled check is never silent. */
export function levelChangesOf(config: Readonly<Record<string, unknown>>): LevelChange[] {
    return policies
        .map((p) => ({ policy: p.name, level: resolvedPolicyConfig(config, p).enforcementLevel, defaultLevel: p.enforcementLevel ?? "advisory" }))
        .filter((c) => c.level !== c.defaultLevel);
}

/** A program started: what it registered and threw so far, to be judged once the process has nothing left to do. */
export interface StartedProgram {
    readonly run: ProgramRun;
    judge(): Promise<PreviewResult>;
}

/**
 * Loads the program under the mock runtime and runs it: its exported function called and awaited, or its exported
 * promise awaited, as `pulumi` does. Errors of the program are noted, never thrown. Judge it (`judge()`) once the
 * process has nothing left to do (the program may register and throw later, from timers and callbacks).
 */
export async function startProgram(run: ProgramRun): Promise<StartedProgram> {
    process.chdir(run.programDir);
    pulumi.runtime.setAllConfig({ ...run.config });
    const capture = captureRegistrations({ project: run.project, stack: run.stack, accountId: run.accountId, region: run.region });
    const refusals = collectRefusals();
    const secrets: string[] = [];
    recordSecrets(secrets);
    // Errors thrown later, in outputs (deploy-time checks, the program's own callbacks), are noted, not fatal; no
    // promise is marked handled late (Node would warn about each).
    const asyncErrors: unknown[] = [];
    process.on("unhandledRejection", (reason) => asyncErrors.push(reason));
    process.on("uncaughtException", (error) => asyncErrors.push(error));

    const thrown: unknown[] = [];
    try {
        if (run.entry.endsWith(".ts")) {
            if (!run.typescript) {
                throw new Error(`Pulumi.yaml sets runtime.options.typescript to false, so pulumi would not compile ${path.basename(run.entry)}; compile it first, or remove that option`);
            }
            registerTypeScript(run.programDir, { transpileOnly: run.transpileOnly });
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const loaded = require(run.entry);
        const main = typeof loaded === "function" ? loaded : typeof loaded?.default === "function" ? loaded.default : undefined;
        // As pulumi does: an exported function is called; whatever it returns, or a promise exported, is awaited.
        const result = main !== undefined ? main() : loaded;
        if (typeof result?.then === "function") {
            await result;
        }
    } catch (e) {
        thrown.push(e);
    }

    const judge = async (): Promise<PreviewResult> => {
        await capture.settle();
        const verdicts: Verdict[] = [];
        const programErrors: string[] = [];
        const addVerdictsOf = async (e: unknown): Promise<boolean> => {
            const found = await verdictsOfError(e);
            verdicts.push(...found.filter((v) => !verdicts.some((w) => w.message === v.message && w.urn === v.urn && w.path === v.path)));
            return found.length > 0;
        };
        const note = (e: unknown) => {
            const text = describeProgramError(e, run.programDir);
            if (!programErrors.includes(text)) {
                programErrors.push(text);
            }
        };
        for (const e of [...thrown, ...refusals, ...asyncErrors]) {
            if (!(await addVerdictsOf(e))) {
                note(e);
            }
        }
        const defaultProvider = defaultProviderOf(run.project, run.stack, run.region, run.config["alicloud:accountId"]);
        const policyConfig = run.policyConfig as Record<string, unknown>;
        const violations = await runPolicies(policies, policyResources(capture.resources, defaultProvider), policyConfig);
        for (const v of violations) {
            const level = v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate" ? "mandatory" : "advisory";
            verdicts.push(v.finding !== undefined ? verdictOfFinding(v.policy, v.finding, level, v.urn) : { policy: v.policy, constraints: [], level, message: v.message, urn: v.urn });
        }
        // Nothing secret is printed: the plan shows `[secret]`, and no verdict or error quotes a secret value of the
        // program, nor a provider's credentials.
        for (const r of capture.resources) {
            secretValuesIn(r.inputs, secrets);
            if (r.type.startsWith("pulumi:providers:")) {
                Object.entries(r.inputs).filter(([k]) => CREDENTIAL_INPUT.test(k)).forEach(([, v]) => leafStrings(v, secrets));
            }
        }
        const resources = maskedResources(capture.resources).map((r) =>
            r.type.startsWith("pulumi:providers:") ? { ...r, inputs: Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, CREDENTIAL_INPUT.test(k) ? SECRET_MARK : v])) } : r,
        );
        return {
            project: run.project,
            stack: run.stack,
            accountId: run.accountId,
            region: run.region,
            configSource: run.configSource,
            entry: path.relative(run.programDir, run.entry),
            resources,
            verdicts: verdicts.map((v) => ({ ...v, message: redactText(v.message, secrets), ...(v.fix === undefined ? {} : { fix: redactText(v.fix, secrets) }) })),
            programError: programErrors.length === 0 ? undefined : redactText(programErrors.join("\n"), secrets),
            levelChanges: levelChangesOf(policyConfig),
        };
    };
    return { run, judge };
}
