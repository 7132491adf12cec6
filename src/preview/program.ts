/**
 * The program's files as `pulumi` reads them: `Pulumi.yaml`, the stack's `Pulumi.<stack>.yaml`, the entry file, and
 * the policy pack config, validated before anything runs.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ACCOUNT_ID } from "../alibaba/ids";
import { packConfigProblems } from "../policy/config";
import { policies } from "../policy/policies";

/** A problem with the program, its files or the command line: the preview cannot run (exit 2). */
export class PreviewSetupError extends Error {}

export interface ProjectFile {
    readonly name: string;
    readonly runtime: string;
    readonly main?: string;
    /** `runtime.options.typescript`: false when `pulumi` is told not to compile TypeScript. */
    readonly typescript?: boolean;
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
    const runtimeOptions = typeof project.runtime === "object" && project.runtime !== null ? (project.runtime as { options?: { typescript?: unknown } }).options : undefined;
    return {
        name: project.name,
        runtime,
        main: typeof project.main === "string" ? project.main : undefined,
        ...(runtimeOptions?.typescript === false ? { typescript: false } : {}),
    };
}

/** The stack config file to use: the given one, the stack's, the only one, or none (stack `dev`). */
export function stackConfigFile(programDir: string, options: { stack?: string; configFile?: string }): { file?: string; stack: string } {
    if (options.configFile !== undefined) {
        if (!fs.existsSync(options.configFile)) {
            throw new PreviewSetupError(`the config file ${options.configFile} does not exist`);
        }
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

/** The program's entry file: `main` of Pulumi.yaml (a file, or a folder with index.ts or index.js), else the folder's. */
export function entryOf(programDir: string, project: ProjectFile): string {
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

/**
 * The policy pack config: the `--policy-config` file, else the stack's `alicloud-sharing:policyConfig`, else none;
 * checked against each policy's config schema as the engine checks it, every problem at once.
 */
export function readPolicyConfig(file: string | undefined, stackConfig: Readonly<Record<string, string>>): Record<string, unknown> {
    let config: unknown = {};
    let source = "";
    if (file !== undefined) {
        source = `the policy config ${file}`;
        try {
            config = JSON.parse(fs.readFileSync(file, "utf8"));
        } catch (e) {
            throw new PreviewSetupError(`cannot read ${source}: ${(e as Error).message}`);
        }
    } else if (stackConfig["alicloud-sharing:policyConfig"] !== undefined) {
        source = "the stack's alicloud-sharing:policyConfig";
        try {
            config = JSON.parse(stackConfig["alicloud-sharing:policyConfig"]);
        } catch {
            config = stackConfig["alicloud-sharing:policyConfig"];
        }
    }
    const problems = packConfigProblems(config, policies);
    if (problems.length > 0) {
        throw new PreviewSetupError(
            `${source} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p.path === "" ? "(the whole config)" : p.path}: ${p.message}`).join("\n")}`,
        );
    }
    return config as Record<string, unknown>;
}

/** The account the default provider reports: the flag, else the stack's `alicloud-sharing:previewAccountId`, else a placeholder. */
export function previewAccountOf(flag: string | undefined, stackConfig: Readonly<Record<string, string>>): string {
    const account = flag ?? stackConfig["alicloud-sharing:previewAccountId"] ?? DEFAULT_ACCOUNT;
    if (!ACCOUNT_ID.test(account)) {
        const where = flag !== undefined ? "--account" : "alicloud-sharing:previewAccountId";
        throw new PreviewSetupError(`${where} takes an Alibaba Cloud account id (16 digits), not ${JSON.stringify(account)}`);
    }
    return account;
}

/** The account the preview's default provider reports when none is given. */
export const DEFAULT_ACCOUNT = "1000000000000000";
/** The region the preview's default provider reports when the stack gives no `alicloud:region`. */
export const DEFAULT_REGION = "cn-hangzhou";
