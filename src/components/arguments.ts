/**
 * The declared form of every component argument (S8), checked before anything else: a value of another form (a
 * string where a list belongs, an Output where the value must be known when the program runs, a hole in a list, a
 * `null` entry, `"false"` for a boolean, `NaN` for a number) is refused with its path, never coerced or read as absent.
 */
import * as pulumi from "@pulumi/pulumi";
import { argumentsWellFormed } from "../rules/arguments";
import { findingsOf } from "../rules/registry";
import type { Finding, Problem } from "../rules/types";

/** The forms an argument takes. `input…` forms also take an Output (or a promise) of that value. */
export type Shape =
    | "string"
    | "inputString"
    | "boolean"
    | "integer"
    | "inputNumber"
    | "stringList"
    | "inputStringList"
    | { readonly map: "inputString" }
    | { readonly list: Readonly<Record<string, { readonly shape: Shape; readonly required?: boolean }>> };

/** An argument: its form, whether it is required, and why it must be known when the program runs (for plain forms). */
export interface ArgumentSpec {
    readonly shape: Shape;
    readonly required?: boolean;
    /** Why the value must be a plain value: what it decides at construction. */
    readonly plainBecause?: string;
    /** Arguments it means nothing without (it would be ignored): given alone, it is refused. */
    readonly requires?: readonly string[];
    /** Arguments it contradicts. */
    readonly excludes?: readonly string[];
    /** The value `requires` and `excludes` apply to; any value given when absent. */
    readonly when?: unknown;
    /** Why, for the message. */
    readonly because?: string;
}

export type ArgumentSpecs = Readonly<Record<string, ArgumentSpec>>;

const isOutputLike = (v: unknown): boolean => pulumi.Output.isInstance(v) || (typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function");
const kindOf = (v: unknown): string =>
    v === null ? "null" : Array.isArray(v) ? "a list" : isOutputLike(v) ? "an Output" : typeof v === "number" && Number.isNaN(v) ? "NaN" : `a ${typeof v}`;

/** The closest name of a list to a misspelt one, for "did you mean". */
export function closestName(name: string, names: readonly string[]): string | undefined {
    const distance = (a: string, b: string): number => {
        const row = Array.from({ length: b.length + 1 }, (_, j) => j);
        for (let i = 1; i <= a.length; i++) {
            let previous = row[0];
            row[0] = i;
            for (let j = 1; j <= b.length; j++) {
                const current = row[j];
                row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
                previous = current;
            }
        }
        return row[b.length];
    };
    const best = names.map((n) => ({ n, d: distance(name, n) })).sort((x, y) => x.d - y.d)[0];
    return best !== undefined && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.n : undefined;
}

function check(path: string, value: unknown, spec: ArgumentSpec, problems: Problem[]): void {
    const { shape } = spec;
    const wrong = (expected: string, fix: string) => problems.push({ path, message: `${path} is ${kindOf(value)}; it takes ${expected}.`, fix });
    if (value === undefined) {
        if (spec.required) {
            problems.push({ path, message: `${path} is required.`, fix: `Give ${path}.` });
        }
        return;
    }
    if (isOutputLike(value)) {
        if (shape === "inputString" || shape === "inputNumber") {
            return;
        }
        problems.push({
            path,
            message: `${path} is an Output, but it must be known when the program runs: ${spec.plainBecause ?? "it decides what the component creates, and is checked before anything is"}.`,
            fix: `Give ${path} as a plain value (a literal, or stack config); a value computed by other resources cannot decide what is created.`,
        });
        return;
    }
    switch (shape) {
        case "string":
            return void (typeof value !== "string" && wrong("a string", `Give ${path} as a string.`));
        case "inputString":
            return void (typeof value !== "string" && wrong("a string (or an Output of one)", `Give ${path} as a string.`));
        case "boolean":
            return void (typeof value !== "boolean" && wrong("true or false", `Give ${path} as true or false (not a string).`));
        case "integer":
            return void (!(typeof value === "number" && Number.isInteger(value)) && wrong("a whole number", `Give ${path} as a whole number.`));
        case "inputNumber":
            return void (!(typeof value === "number" && Number.isFinite(value)) && wrong("a number (or an Output of one)", `Give ${path} as a number.`));
        case "stringList":
        case "inputStringList": {
            const elementShape: Shape = shape === "stringList" ? "string" : "inputString";
            if (!Array.isArray(value)) {
                return void wrong("a list", `Give ${path} as a list${typeof value === "string" ? `, e.g. [${JSON.stringify(value)}]` : ""}.`);
            }
            for (let i = 0; i < value.length; i++) {
                if (!(i in value)) {
                    problems.push({ path: `${path}[${i}]`, message: `${path} has an empty slot at [${i}].`, fix: `Remove the hole from ${path}.` });
                } else {
                    check(`${path}[${i}]`, value[i], { shape: elementShape, required: true, plainBecause: spec.plainBecause }, problems);
                }
            }
            return;
        }
        default:
            if ("map" in shape) {
                if (typeof value !== "object" || value === null || Array.isArray(value) || isOutputLike(value)) {
                    return void wrong("a map of strings by key", `Give ${path} as { key: value }.`);
                }
                for (const [key, entry] of Object.entries(value)) {
                    check(`${path}.${key}`, entry, { shape: shape.map, required: true }, problems);
                }
                return;
            }
            if (!Array.isArray(value)) {
                return void wrong("a list", `Give ${path} as a list of { ${Object.keys(shape.list).join(", ")} }.`);
            }
            for (let i = 0; i < value.length; i++) {
                const entry: unknown = value[i];
                if (!(i in value) || typeof entry !== "object" || entry === null || Array.isArray(entry) || isOutputLike(entry)) {
                    problems.push({ path: `${path}[${i}]`, message: `${path}[${i}] is ${i in value ? kindOf(entry) : "an empty slot"}; it takes { ${Object.keys(shape.list).join(", ")} }.`, fix: `Give each entry of ${path} as an object.` });
                    continue;
                }
                checkAll(`${path}[${i}].`, entry as Record<string, unknown>, shape.list, problems);
            }
    }
}

function checkAll(prefix: string, args: Record<string, unknown>, specs: ArgumentSpecs, problems: Problem[]): void {
    for (const [name, spec] of Object.entries(specs)) {
        check(`${prefix}${name}`, args[name], spec, problems);
        // An argument that would be ignored, or that contradicts another, is refused: never dropped silently.
        const value = args[name];
        if (value === undefined || (spec.when !== undefined && value !== spec.when)) {
            continue;
        }
        const given = spec.when === undefined ? `${prefix}${name} is given` : `${prefix}${name} is ${JSON.stringify(spec.when)}`;
        for (const other of spec.requires ?? []) {
            if (args[other] === undefined) {
                problems.push({
                    path: `${prefix}${name}`,
                    message: `${given} but ${prefix}${other} is not, so it would be ignored${spec.because === undefined ? "" : `: ${spec.because}`}.`,
                    fix: `Give ${prefix}${other} too, or remove ${prefix}${name}.`,
                });
            }
        }
        for (const other of spec.excludes ?? []) {
            if (args[other] !== undefined && args[other] !== false) {
                problems.push({
                    path: `${prefix}${name}`,
                    message: `${given} but so is ${prefix}${other}, which contradicts it${spec.because === undefined ? "" : `: ${spec.because}`}.`,
                    fix: `Give one of ${prefix}${name} and ${prefix}${other}.`,
                });
            }
        }
    }
    for (const name of Object.keys(args)) {
        if (!Object.prototype.hasOwnProperty.call(specs, name) && args[name] !== undefined) {
            const near = closestName(name, Object.keys(specs));
            problems.push({
                path: `${prefix}${name}`,
                message: `${prefix}${name} is not an argument of this component${near === undefined ? "" : `; did you mean ${prefix}${near}?`}`,
                fix: near === undefined ? `Remove it; the arguments are ${Object.keys(specs).join(", ")}.` : `Rename it ${prefix}${near}.`,
            });
        }
    }
}

/** The findings (rule arguments-well-formed, S8) of a component's arguments against their declared forms. */
export function argumentFindings(args: unknown, specs: ArgumentSpecs): Finding[] {
    const problems: Problem[] = [];
    if (typeof args !== "object" || args === null || Array.isArray(args) || isOutputLike(args)) {
        problems.push({ path: "args", message: `the arguments are ${kindOf(args)}; they take an object.`, fix: "Give the component its arguments as an object." });
    } else {
        checkAll("", args as Record<string, unknown>, specs, problems);
    }
    return findingsOf(argumentsWellFormed, problems);
}

/** The recipients' arguments, common to the share components and the share role. */
export const TARGET_ARGUMENTS: ArgumentSpecs = {
    accountIds: { shape: "stringList", plainBecause: "each recipient becomes a resource of its own and is checked against the rules and the allow-list" },
    resourceDirectoryId: { shape: "string", plainBecause: "the recipient becomes a resource of its own and is checked against the allow-list" },
    folderPaths: { shape: "stringList", plainBecause: "each folder becomes a resource of its own and is checked against the allow-list" },
};

/** The arguments common to the share components. */
export const SHARE_ARGUMENTS: ArgumentSpecs = {
    ...TARGET_ARGUMENTS,
    kmsKeyId: { shape: "inputString" },
    kmsKeyRegion: { shape: "inputString", requires: ["kmsKeyId"], because: "it is the region of that key" },
    serviceKeyEncrypted: { shape: "boolean" },
    createShareRole: { shape: "boolean", requires: ["kmsKeyId"], because: "a share role is made only for encrypted shares" },
    ownerAccountId: { shape: "inputString" },
    region: { shape: "inputString" },
    shareName: { shape: "string", plainBecause: "it names the resource share" },
    accountsInResourceDirectory: { shape: "boolean" },
    sharedWithThisAccount: { shape: "boolean" },
    unencryptedDataAcknowledged: { shape: "boolean", when: true, excludes: ["kmsKeyId", "serviceKeyEncrypted"], because: "it confirms that unencrypted data is shared" },
    protect: { shape: "boolean" },
};
