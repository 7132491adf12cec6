/**
 * The program's run, inside the preview's child process: the program loaded under the mock runtime with its stack
 * config (TypeScript compiled and type-checked as `pulumi` does), every registration captured, every refused
 * component collected, then the policies run on what it registered. No Pulumi CLI, no cloud credentials.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { policies } from "../policy/policies";
import { collectRefusals, findingsOfError, subjectUrnOf } from "../rules/errors";
import { redactText } from "../rules/redact";
import { Finding, formatFinding } from "../rules/types";
import { runPolicies } from "../testing";
import { captureRegistrations } from "./capture";
import { defaultProviderOf, maskedResources, policyResources, secretValuesIn } from "./resources";
import { registerTypeScript, typeErrorsOf } from "./typescript";
import type { PreviewResult, Verdict } from "./verdicts";

/** What the child is asked to run: everything read and checked by the parent. */
export interface ProgramRun {
    readonly programDir: string;
    readonly entry: string;
    readonly project: string;
    readonly stack: string;
    readonly configSource: string;
    readonly config: Readonly<Record<string, string>>;
    readonly policyConfig: Readonly<Record<string, unknown>>;
    readonly accountId: string;
    readonly region: string;
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

/**
 * The program's own error, for people: its message and where in the program it was thrown (the first stack frame in
 * the program's folder, outside node_modules), or the compiler's diagnostics for a type error.
 */
export function describeProgramError(error: unknown, programDir: string): string {
    const typeErrors = typeErrorsOf(error);
    if (typeErrors !== undefined) {
        return `the program does not type-check (pulumi preview checks it too; --transpile-only skips the check):\n${typeErrors.map((l) => `  ${l}`).join("\n")}`;
    }
    const message = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
    const stack = error instanceof Error ? (error.stack ?? "") : "";
    const frame = stack
        .split("\n")
        .map((line) => line.match(/\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?$/))
        .find((m) => m !== null && m[1].startsWith(programDir + path.sep) && !m[1].includes(`${path.sep}node_modules${path.sep}`));
    return frame === undefined || frame === null ? message : `${message}\n    at ${path.relative(programDir, frame[1])}:${frame[2]}:${frame[3]}`;
}

/** Runs the program and judges what it registers. Errors of the program are part of the result, never thrown. */
export async function executeProgram(run: ProgramRun): Promise<PreviewResult> {
    process.chdir(run.programDir);
    pulumi.runtime.setAllConfig({ ...run.config });
    const capture = captureRegistrations({ project: run.project, stack: run.stack, accountId: run.accountId, region: run.region });
    const refusals = collectRefusals();
    // Errors thrown later, in outputs (deploy-time checks, the program's own callbacks), are noted, not fatal; no
    // promise is marked handled late (Node would warn about each).
    const asyncErrors: unknown[] = [];
    process.on("unhandledRejection", (reason) => asyncErrors.push(reason));
    process.on("uncaughtException", (error) => asyncErrors.push(error));

    const programErrors: string[] = [];
    const note = (e: unknown) => {
        const text = describeProgramError(e, run.programDir);
        if (!programErrors.includes(text)) {
            programErrors.push(text);
        }
    };
    const verdicts: Verdict[] = [];
    const addVerdictsOf = async (e: unknown): Promise<boolean> => {
        const found = await verdictsOfError(e);
        verdicts.push(...found.filter((v) => !verdicts.some((w) => w.message === v.message && w.urn === v.urn && w.path === v.path)));
        return found.length > 0;
    };
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
        if (main !== undefined) {
            await main();
        }
    } catch (e) {
        if (!(await addVerdictsOf(e))) {
            note(e);
        }
    }
    await capture.settle();
    for (const r of refusals) {
        await addVerdictsOf(r);
    }
    for (const e of asyncErrors) {
        if (!(await addVerdictsOf(e))) {
            note(e);
        }
    }
    const defaultProvider = defaultProviderOf(run.project, run.stack, run.region);
    const violations = await runPolicies(policies, policyResources(capture.resources, defaultProvider), run.policyConfig);
    for (const v of violations) {
        const level = v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate" ? "mandatory" : "advisory";
        verdicts.push(v.finding !== undefined ? verdictOfFinding(v.policy, v.finding, level, v.urn) : { policy: v.policy, constraints: [], level, message: v.message, urn: v.urn });
    }
    // Nothing secret is printed: the plan shows `[secret]`, and no verdict or error quotes a secret value of the program.
    const secrets = capture.resources.flatMap((r) => secretValuesIn(r.inputs));
    return {
        project: run.project,
        stack: run.stack,
        accountId: run.accountId,
        region: run.region,
        configSource: run.configSource,
        entry: path.relative(run.programDir, run.entry),
        resources: maskedResources(capture.resources),
        verdicts: verdicts.map((v) => ({ ...v, message: redactText(v.message, secrets), ...(v.fix === undefined ? {} : { fix: redactText(v.fix, secrets) }) })),
        programError: programErrors.length === 0 ? undefined : redactText(programErrors.join("\n"), secrets),
    };
}
