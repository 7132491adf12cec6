/**
 * The offline preview: runs a Pulumi program (TypeScript or JavaScript) under the mock runtime, with its
 * `Pulumi.yaml` and stack config, captures every resource, and judges them with the policy pack's policies.
 * No Pulumi CLI, no cloud credentials.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { policies } from "../policy/policies";
import { runPolicies, Violation } from "../testing";
import { CapturedResource, captureRegistrations } from "./capture";
import { findingsOfError, subjectUrnOf } from "../rules/errors";
import { Finding, formatFinding } from "../rules/types";
import { redactText } from "../rules/redact";
import { defaultProviderOf, maskedResources, policyResources, secretValuesIn } from "./resources";

export interface PreviewOptions {
    /** The folder holding `Pulumi.yaml`. */
    readonly programDir: string;
    /** The stack whose `Pulumi.<stack>.yaml` to use. */
    readonly stack?: string;
    /** A stack config file to use instead. */
    readonly configFile?: string;
    /** The policy config (by policy name), as `pulumi preview --policy-pack-config` takes it. Else the stack's `alicloud-sharing:policyConfig`. */
    readonly policyConfigFile?: string;
    /** The account the default provider reports. Defaults to the stack's `alicloud-sharing:previewAccountId`, else 1000000000000000. */
    readonly accountId?: string;
}

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

export interface PreviewResult {
    readonly project: string;
    readonly stack: string;
    readonly accountId: string;
    readonly region: string;
    readonly configSource: string;
    readonly resources: readonly CapturedResource[];
    readonly verdicts: readonly Verdict[];
    /** The program's own error, when it failed for a reason other than a rule. */
    readonly programError?: string;
}

/** A problem with the program or its files: the preview cannot run. */
export class PreviewSetupError extends Error {}

interface ProjectFile {
    readonly name: string;
    readonly runtime: string;
    readonly main?: string;
}

function readYaml(file: string): unknown {
    try {
        return yaml.load(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PreviewSetupError(`cannot read ${file}: ${(e as Error).message}`);
    }
}

/** Reads `Pulumi.yaml`. */
export function readProject(programDir: string): ProjectFile {
    const file = path.join(programDir, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        throw new PreviewSetupError(`${programDir} has no Pulumi.yaml`);
    }
    const project = readYaml(file) as Record<string, unknown> | null;
    const runtime = typeof project?.runtime === "object" && project.runtime !== null ? (project.runtime as { name?: unknown }).name : project?.runtime;
    if (typeof project?.name !== "string" || typeof runtime !== "string") {
        throw new PreviewSetupError(`${file} needs a name and a runtime`);
    }
    if (runtime !== "nodejs") {
        throw new PreviewSetupError(`${file} has runtime ${runtime}; the offline preview runs nodejs programs (TypeScript or JavaScript)`);
    }
    return { name: project.name, runtime, main: typeof project.main === "string" ? project.main : undefined };
}

/** The stack config file to use: the given one, the stack's, the only one, or none. */
export function stackConfigFile(programDir: string, options: Pick<PreviewOptions, "stack" | "configFile">): { file?: string; stack: string } {
    if (options.configFile !== undefined) {
        return { file: options.configFile, stack: options.stack ?? path.basename(options.configFile).replace(/^Pulumi\.|\.yaml$/g, "") };
    }
    if (options.stack !== undefined) {
        const file = path.join(programDir, `Pulumi.${options.stack}.yaml`);
        if (!fs.existsSync(file)) {
            throw new PreviewSetupError(`stack ${options.stack} has no ${file}`);
        }
        return { file, stack: options.stack };
    }
    const stacks = fs.readdirSync(programDir).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
    if (stacks.length > 1) {
        throw new PreviewSetupError(`${programDir} has several stacks (${stacks.join(", ")}): give --stack NAME or --config FILE`);
    }
    return stacks.length === 1 ? { file: path.join(programDir, stacks[0]), stack: stacks[0].replace(/^Pulumi\.|\.yaml$/g, "") } : { stack: "dev" };
}

/** Stack config as the runtime holds it: `namespace:key` to a string (objects as JSON); keys without namespace are the project's. */
export function readStackConfig(file: string | undefined, project: string): Record<string, string> {
    if (file === undefined) {
        return {};
    }
    const content = readYaml(file) as { config?: Record<string, unknown> } | null;
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(content?.config ?? {})) {
        const full = key.includes(":") ? key : `${project}:${key}`;
        if (typeof value === "object" && value !== null && "secure" in value) {
            throw new PreviewSetupError(`${file}: ${key} is a secret; the offline preview cannot decrypt it, give a placeholder in a --config file`);
        }
        config[full] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}

/** The program's entry file. */
function entryOf(programDir: string, project: ProjectFile): string {
    const main = path.resolve(programDir, project.main ?? ".");
    if (fs.existsSync(main) && fs.statSync(main).isFile()) {
        return main;
    }
    for (const candidate of ["index.ts", "index.js"]) {
        if (fs.existsSync(path.join(main, candidate))) {
            return path.join(main, candidate);
        }
    }
    throw new PreviewSetupError(`no program at ${main} (index.ts or index.js)`);
}

/** Lets Node load TypeScript, as `pulumi` does with ts-node, when nothing has yet. */
function enableTypeScript(entry: string): void {
    if (!entry.endsWith(".ts") || require.extensions[".ts"] !== undefined) {
        return;
    }
    let tsNode: { register(options: object): void };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        tsNode = require("ts-node");
    } catch {
        throw new PreviewSetupError("previewing a TypeScript program needs ts-node and typescript installed (npm install --save-dev ts-node typescript)");
    }
    tsNode.register({ transpileOnly: true, compilerOptions: { module: "commonjs", target: "ES2022", esModuleInterop: true } });
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

function policyConfigOf(options: PreviewOptions, config: Record<string, string>): Record<string, unknown> {
    if (options.policyConfigFile !== undefined) {
        try {
            return JSON.parse(fs.readFileSync(options.policyConfigFile, "utf8"));
        } catch (e) {
            throw new PreviewSetupError(`cannot read the policy config ${options.policyConfigFile}: ${(e as Error).message}`);
        }
    }
    const fromStack = config["alicloud-sharing:policyConfig"];
    return fromStack === undefined ? {} : JSON.parse(fromStack);
}

const DEFAULT_ACCOUNT = "1000000000000000";

/** Runs the preview. Throws `PreviewSetupError` when the program cannot be run at all. */
export async function runPreview(options: PreviewOptions): Promise<PreviewResult> {
    const programDir = path.resolve(options.programDir);
    const project = readProject(programDir);
    const { file, stack } = stackConfigFile(programDir, options);
    const config = readStackConfig(file, project.name);
    const policyConfig = policyConfigOf(options, config);
    const accountId = options.accountId ?? config["alicloud-sharing:previewAccountId"] ?? DEFAULT_ACCOUNT;
    const region = config["alicloud:region"] ?? "cn-hangzhou";
    const entry = entryOf(programDir, project);
    enableTypeScript(entry);

    pulumi.runtime.setAllConfig(config);
    const capture = captureRegistrations({ project: project.name, stack, accountId, region });
    const asyncErrors: unknown[] = [];
    const onAsyncError = (reason: unknown, promise?: Promise<unknown>) => {
        asyncErrors.push(reason);
        promise?.catch(() => undefined);
    };
    process.on("unhandledRejection", onAsyncError);
    const verdicts: Verdict[] = [];
    let programError: string | undefined;
    const cwd = process.cwd();
    try {
        process.chdir(programDir);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const loaded = require(entry);
        const main = typeof loaded === "function" ? loaded : typeof loaded?.default === "function" ? loaded.default : undefined;
        if (main !== undefined) {
            await main();
        }
    } catch (e) {
        const found = await verdictsOfError(e);
        verdicts.push(...found);
        if (found.length === 0) {
            programError = e instanceof Error ? e.message : String(e);
        }
    } finally {
        process.chdir(cwd);
    }
    await capture.settle();
    process.removeListener("unhandledRejection", onAsyncError);
    for (const e of asyncErrors) {
        const found = await verdictsOfError(e);
        verdicts.push(...found.filter((v) => !verdicts.some((w) => w.message === v.message && w.urn === v.urn)));
        if (found.length === 0 && programError === undefined) {
            programError = e instanceof Error ? e.message : String(e);
        }
    }
    const violations: Violation[] = await runPolicies(policies, policyResources(capture.resources, defaultProviderOf(project.name, stack, region)), policyConfig);
    for (const v of violations) {
        const level = v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate" ? "mandatory" : "advisory";
        verdicts.push(v.finding !== undefined ? verdictOfFinding(v.policy, v.finding, level, v.urn) : { policy: v.policy, constraints: [], level, message: v.message, urn: v.urn });
    }
    // Nothing secret is printed: the plan shows `[secret]`, and no verdict or error quotes a secret value of the program.
    const secrets = capture.resources.flatMap((r) => secretValuesIn(r.inputs));
    return {
        project: project.name,
        stack,
        accountId,
        region,
        configSource: file ?? "(no stack config)",
        resources: maskedResources(capture.resources),
        verdicts: verdicts.map((v) => ({ ...v, message: redactText(v.message, secrets), ...(v.fix === undefined ? {} : { fix: redactText(v.fix, secrets) }) })),
        programError: programError === undefined ? undefined : redactText(programError, secrets),
    };
}

/** 0 when no mandatory verdict, 1 when any, 2 when the program failed. */
export function exitCodeOf(result: PreviewResult): number {
    if (result.programError !== undefined) {
        return 2;
    }
    return result.verdicts.some((v) => v.level === "mandatory") ? 1 : 0;
}
