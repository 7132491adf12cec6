/**
 * The program's files as `pulumi` reads them: `Pulumi.yaml`, the stack's `Pulumi.<stack>.yaml`, the entry file, and
 * the policy pack config, validated before anything runs.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ACCOUNT_ID } from "../alibaba/ids";

/**
 * Why a preview has no verdict: its files or options (`setup`), a runtime other than Node.js (`runtime`), the program
 * ran out of time (`timeout`), ended its process (`exit`), never finished (`unsettled`), was interrupted
 * (`interrupted`), or the preview itself failed (`preview`). A program's own error is `program`.
 */
export type PreviewErrorKind = "setup" | "runtime" | "timeout" | "exit" | "unsettled" | "interrupted" | "preview" | "program";

/** A problem with the program, its files or the command line, or a run with nothing to judge: the preview cannot run (exit 2). */
export class PreviewSetupError extends Error {
    constructor(
        message: string,
        readonly kind: PreviewErrorKind = "setup",
    ) {
        super(message);
        this.name = "PreviewSetupError";
    }
}

export interface ProjectFile {
    readonly name: string;
    readonly runtime: string;
    readonly main?: string;
    /** `runtime.options.typescript`: false when `pulumi` is told not to compile TypeScript. */
    readonly typescript?: boolean;
    /** The config keys the project declares secret (`config: { <key>: { secret: true } }`), namespaced. */
    readonly secretKeys: readonly string[];
}

/** The keys Pulumi.yaml's `config` declares `secret: true`, as the runtime names them (`<project>:<key>` when not namespaced). */
function declaredSecretKeys(project: string, config: unknown): string[] {
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        return [];
    }
    return Object.entries(config)
        .filter(([, declaration]) => typeof declaration === "object" && declaration !== null && (declaration as { secret?: unknown }).secret === true)
        .map(([key]) => (key.includes(":") ? key : `${project}:${key}`));
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
        throw new PreviewSetupError(`${file} has runtime ${runtime}; the offline preview runs nodejs programs (TypeScript or JavaScript)`, "runtime");
    }
    const runtimeOptions = typeof project.runtime === "object" && project.runtime !== null ? (project.runtime as { options?: { typescript?: unknown } }).options : undefined;
    return {
        name: project.name,
        runtime,
        main: typeof project.main === "string" ? project.main : undefined,
        ...(runtimeOptions?.typescript === false ? { typescript: false } : {}),
        secretKeys: declaredSecretKeys(project.name, project.config),
    };
}

/** The stack config file to use: the given one, the stack's, the only one, or none (stack `dev`). */
/** A stack name as Pulumi takes it: letters, digits, `-`, `_` and `.` (an organization or project may prefix it). */
const STACK_NAME = /^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/;

export function stackConfigFile(programDir: string, options: { stack?: string; configFile?: string }): { file?: string; stack: string } {
    const found = stackConfigFileOf(programDir, options);
    if (!STACK_NAME.test(found.stack)) {
        throw new PreviewSetupError(
            `${JSON.stringify(found.stack)} is not a stack name (letters, digits, -, _ and .)${options.configFile !== undefined && options.stack === undefined ? `; give it with --stack, the config file's name (${path.basename(options.configFile)}) does not say it` : ""}`,
        );
    }
    return found;
}

function stackConfigFileOf(programDir: string, options: { stack?: string; configFile?: string }): { file?: string; stack: string } {
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

/**
 * Stack config as the runtime holds it: `namespace:key` to a string (objects as JSON); keys without namespace are the
 * project's. A problem with a value of a secret key names the key, never the value.
 */
export function readStackConfig(file: string | undefined, project: string, secretKeys: readonly string[] = []): Record<string, string> {
    if (file === undefined) {
        return {};
    }
    const content = readYaml(file) as { config?: unknown } | null;
    const entries = content?.config ?? {};
    if (typeof content !== "object" || typeof entries !== "object" || entries === null || Array.isArray(entries)) {
        throw new PreviewSetupError(`${file}: config must be a mapping of keys to values`);
    }
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(entries)) {
        const full = key.includes(":") ? key : `${project}:${key}`;
        if (typeof value === "object" && value !== null && "secure" in value) {
            throw new PreviewSetupError(`${file}: ${key} is a secret; the offline preview cannot decrypt it, give a placeholder in a --config file`);
        }
        if (typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value)) {
            // YAML read it as a number and lost digits (an account id): say so rather than use another value.
            throw new PreviewSetupError(
                `${file}: ${key} is a number too large to read exactly; quote it${secretKeys.includes(full) ? " (a secret: its value is not shown)" : ` ("${String(value)}" is not what is written)`}`,
            );
        }
        config[full] = typeof value === "string" ? value : JSON.stringify(value);
    }
    if (config["alicloud:region"] !== undefined && !/^[a-z]{2,}(-[a-z0-9]+)+$/.test(config["alicloud:region"])) {
        const shown = secretKeys.includes("alicloud:region") ? "(a secret: its value is not shown) is" : `is ${JSON.stringify(config["alicloud:region"])},`;
        throw new PreviewSetupError(`${file}: alicloud:region ${shown} not a region id (cn-hangzhou, ap-southeast-1…)`);
    }
    return config;
}

/** The nearest `package.json` from a folder up, parsed, with its folder; undefined when there is none. */
function packageManifestOf(dir: string): { root: string; manifest: Record<string, unknown> } | undefined {
    for (let at = dir; ; at = path.dirname(at)) {
        const file = path.join(at, "package.json");
        if (fs.existsSync(file)) {
            try {
                return { root: at, manifest: JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> };
            } catch {
                return undefined;
            }
        }
        if (path.dirname(at) === at) {
            return undefined;
        }
    }
}

/** The entry a package manifest names, as `pulumi` reads it: `exports` (a string, or `.`'s default, require or import), else `main`. */
function manifestEntry(manifest: Record<string, unknown>): string | undefined {
    const exports = manifest.exports as unknown;
    if (typeof exports === "string") {
        return exports;
    }
    if (typeof exports === "object" && exports !== null) {
        const main = (exports as Record<string, unknown>)["."];
        if (typeof main === "string") {
            return main;
        }
        if (typeof main === "object" && main !== null) {
            const m = main as Record<string, unknown>;
            const chosen = m.default ?? m.require ?? m.import;
            return typeof chosen === "string" ? chosen : undefined;
        }
        return undefined;
    }
    return typeof manifest.main === "string" ? manifest.main : undefined;
}

/**
 * The program's entry file, found as `pulumi` finds it: Pulumi.yaml's `main` (a file or a folder), else the entry
 * the nearest `package.json` names (`exports`, else `main`), else the program's folder; then resolved as Node
 * resolves it with ts-node registered (a folder's `package.json` main, then `index.js`, then `index.ts`: JavaScript
 * before TypeScript, so a stale compiled `index.js` is what runs, as it would under `pulumi`).
 */
export function entryOf(programDir: string, project: ProjectFile): string {
    let program = path.resolve(programDir, project.main ?? ".");
    if (project.main === undefined || project.main === ".") {
        const found = packageManifestOf(programDir);
        const named = found === undefined ? undefined : manifestEntry(found.manifest);
        if (found !== undefined && named !== undefined && fs.existsSync(path.join(found.root, named))) {
            program = path.join(found.root, named);
        }
    }
    // Node's resolver, with `.ts` known as ts-node makes it known (after .js, .json and .node).
    const extensions = require.extensions as Record<string, unknown>;
    const registered = ".ts" in extensions;
    if (!registered) {
        extensions[".ts"] = extensions[".js"];
    }
    // A folder's package.json naming a main that does not exist is read past (as Node does), without its warning.
    const noDeprecation = process.noDeprecation;
    process.noDeprecation = true;
    try {
        return require.resolve(program);
    } catch {
        throw new PreviewSetupError(`no program at ${program} (a file, or a folder with package.json main, index.js or index.ts)`);
    } finally {
        process.noDeprecation = noDeprecation;
        if (!registered) {
            delete extensions[".ts"];
        }
    }
}

/**
 * The policy pack config as given: the `--policy-config` file, else the stack's `alicloud-sharing:policyConfig`, else
 * none. It is checked against the policies' config schemas before the program runs (in the preview's child, which
 * loads the policies anyway), every problem at once.
 */
export function readPolicyConfig(file: string | undefined, stackConfig: Readonly<Record<string, string>>): { config: unknown; source: string } {
    if (file !== undefined) {
        const source = `the policy config ${file}`;
        try {
            return { config: JSON.parse(fs.readFileSync(file, "utf8")), source };
        } catch (e) {
            throw new PreviewSetupError(`cannot read ${source}: ${(e as Error).message}`);
        }
    }
    const fromStack = stackConfig["alicloud-sharing:policyConfig"];
    if (fromStack !== undefined) {
        try {
            return { config: JSON.parse(fromStack), source: "the stack's alicloud-sharing:policyConfig" };
        } catch {
            return { config: fromStack, source: "the stack's alicloud-sharing:policyConfig" };
        }
    }
    return { config: {}, source: "" };
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
