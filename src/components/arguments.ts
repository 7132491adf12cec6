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

/** What reading the arguments found each object to be (an Output or a promise, or not): asked once, never again. */
const outputLikeSeen = new WeakMap<object, boolean>();
const isOutputLike = (v: unknown): boolean => {
    if (typeof v !== "object" || v === null) {
        return false;
    }
    const seen = outputLikeSeen.get(v);
    return seen ?? (pulumi.Output.isInstance(v) || typeof (v as { then?: unknown }).then === "function");
};
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

function check(path: string, value: unknown, spec: ArgumentSpec, problems: Problem[], unreadable: ReadonlySet<string> = NONE): void {
    if (unreadable.has(path)) {
        // Reading it failed or it is too large: said once, by the reading.
        return;
    }
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
                    check(`${path}[${i}]`, value[i], { shape: elementShape, required: true, plainBecause: spec.plainBecause }, problems, unreadable);
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
                    check(`${path}.${key}`, entry, { shape: shape.map, required: true }, problems, unreadable);
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
                if (!unreadable.has(`${path}[${i}]`)) {
                    checkAll(`${path}[${i}].`, entry as Record<string, unknown>, shape.list, problems, unreadable);
                }
            }
    }
}

function checkAll(prefix: string, args: Record<string, unknown>, specs: ArgumentSpecs, problems: Problem[], unreadable: ReadonlySet<string> = NONE): void {
    for (const [name, spec] of Object.entries(specs)) {
        check(`${prefix}${name}`, args[name], spec, problems, unreadable);
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
        if (!Object.prototype.hasOwnProperty.call(specs, name) && args[name] !== undefined && !unreadable.has(`${prefix}${name}`)) {
            const near = closestName(name, Object.keys(specs));
            problems.push({
                path: `${prefix}${name}`,
                message: `${prefix}${name} is not an argument of this component${near === undefined ? "" : `; did you mean ${prefix}${near}?`}`,
                fix: near === undefined ? `Remove it; the arguments are ${Object.keys(specs).join(", ")}.` : `Rename it ${prefix}${near}.`,
            });
        }
    }
}

const NONE: ReadonlySet<string> = new Set();

/** The most entries a list or map argument takes: more than any limit of the cloud, few enough to judge at once. */
export const MAX_ENTRIES = 1000;
/** The longest string argument, in characters: ids, names and folder paths are far shorter. */
export const MAX_STRING_LENGTH = 1024;
/** The most arguments (keys) a component's arguments object may have: a component declares about twenty. */
const MAX_KEYS = 100;
/** The longest argument name a message names, or compares with the declared names. */
const MAX_NAME_LENGTH = 100;
/** The most of a value a message quotes. */
const QUOTED = 40;

/** A value for a message: its first characters, and how long it is when that is not all of it. */
const quotePrefix = (text: string): string => (text.length <= QUOTED ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, QUOTED))}… (${text.length.toLocaleString("en-US")} characters)`);

/** What a throw was, for a message: never reads more of it than is safe (an error's message, cut). */
function thrown(e: unknown): string {
    try {
        if (e instanceof Error) {
            const message: unknown = e.message;
            return typeof message === "string" ? `an error: ${quotePrefix(message)}` : "an error";
        }
        return typeof e === "string" ? quotePrefix(e) : `a ${typeof e}`;
    } catch {
        return "something that cannot be read";
    }
}

/** The arguments as read, once: problems of reading (a getter or trap that throws, a size too large) and the paths they make unreadable. */
interface Reading {
    readonly problems: Problem[];
    readonly unreadable: Set<string>;
}

/** Reads a part of an argument once; a throw is a problem at the path, and the path is unreadable. */
function attempt<T>(reading: Reading, path: string, what: string, read: () => T): { readonly value: T } | undefined {
    try {
        return { value: read() };
    } catch (e) {
        reading.problems.push({
            path,
            message: `reading ${what} threw ${thrown(e)}.`,
            fix: `Give ${path} as a plain value: no getter, Proxy or then that throws.`,
        });
        reading.unreadable.add(path);
        return undefined;
    }
}

/** A problem of size: the path is not read further, and the message quotes at most a prefix. */
function tooLarge(reading: Reading, path: string, message: string, fix: string): void {
    reading.problems.push({ path, message, fix });
    reading.unreadable.add(path);
}

/** Whether an object is an Output or a promise, asked once (a `then` getter is read once, a throw is a problem). */
function outputLikeOnce(reading: Reading, path: string, value: object): boolean | undefined {
    const seen = outputLikeSeen.get(value);
    if (seen !== undefined) {
        return seen;
    }
    const found = attempt(reading, path, `${path} (whether it is an Output or a promise)`, () => pulumi.Output.isInstance(value) || typeof (value as { then?: unknown }).then === "function");
    if (found !== undefined) {
        outputLikeSeen.set(value, found.value);
    }
    return found?.value;
}

/** A copy of a list (holes kept, each entry read once), or undefined when it cannot be read or is too long. */
function readList(reading: Reading, path: string, list: readonly unknown[], entry: (path: string, value: unknown) => unknown): unknown[] | undefined {
    const length = attempt(reading, path, `the length of ${path}`, () => list.length);
    if (length === undefined) {
        return undefined;
    }
    if (length.value > MAX_ENTRIES) {
        tooLarge(reading, path, `${path} has ${length.value.toLocaleString("en-US")} entries; it takes at most ${MAX_ENTRIES.toLocaleString("en-US")}.`, `Give fewer: share with a resource directory or folder instead of listing accounts, or split the component.`);
        return undefined;
    }
    const copy: unknown[] = new Array(length.value);
    for (let i = 0; i < length.value; i++) {
        const at = `${path}[${i}]`;
        const present = attempt(reading, at, at, () => i in list);
        if (present?.value === true) {
            const value = attempt(reading, at, at, () => list[i]);
            copy[i] = value === undefined ? undefined : entry(at, value.value);
        }
    }
    return copy;
}

/** An object's own keys and values, each read once (bounded in number and name length), as a plain object of own data properties. */
function readObject(reading: Reading, prefix: string, object: object, value: (path: string, name: string, value: unknown) => unknown): Record<string, unknown> | undefined {
    const where = prefix === "" ? "args" : prefix.replace(/\.$/, "");
    const keys = attempt(reading, where, `the names of ${where === "args" ? "the arguments" : where}`, () => Object.keys(object));
    if (keys === undefined) {
        return undefined;
    }
    if (keys.value.length > MAX_KEYS) {
        tooLarge(reading, where, `${where} has ${keys.value.length.toLocaleString("en-US")} keys; it takes at most ${MAX_KEYS}.`, where === "args" ? "Give only the arguments the component declares." : `Give fewer entries in ${where}.`);
        return undefined;
    }
    const entries: [string, unknown][] = [];
    for (const name of keys.value) {
        const path = `${prefix}${name}`;
        if (name.length > MAX_NAME_LENGTH) {
            tooLarge(reading, `${prefix}${name.slice(0, QUOTED)}…`, `${where} has a key of ${name.length.toLocaleString("en-US")} characters (${quotePrefix(name)}), not an argument of this component.`, "Remove it.");
            continue;
        }
        const read = attempt(reading, path, path, () => (object as Record<string, unknown>)[name]);
        if (read !== undefined) {
            entries.push([name, value(path, name, read.value)]);
        }
    }
    // Own data properties (a key `__proto__` stays a key): nothing in the copy runs code when read.
    return Object.fromEntries(entries);
}

/** One argument's value, read once and copied as far as its declared form goes; sizes bounded. */
function readValue(reading: Reading, path: string, value: unknown, shape: Shape | undefined): unknown {
    if (typeof value === "string") {
        if (value.length > MAX_STRING_LENGTH) {
            tooLarge(reading, path, `${path} is ${quotePrefix(value)}, longer than any value it takes (at most ${MAX_STRING_LENGTH.toLocaleString("en-US")} characters).`, `Give ${path} as the id, name or path it names.`);
        }
        return value;
    }
    if ((typeof value !== "object" && typeof value !== "function") || value === null) {
        return value;
    }
    if (outputLikeOnce(reading, path, value) !== false) {
        // An Output or a promise is resolved by Pulumi (where the form takes one), or refused by its form.
        return value;
    }
    if (shape === undefined) {
        return value;
    }
    const element: Shape | undefined = shape === "stringList" ? "string" : shape === "inputStringList" ? "inputString" : undefined;
    if (Array.isArray(value) && element !== undefined) {
        return readList(reading, path, value, (at, v) => readValue(reading, at, v, element)) ?? value;
    }
    if (typeof shape === "object" && "list" in shape && Array.isArray(value)) {
        return (
            readList(reading, path, value, (at, entry) =>
                typeof entry === "object" && entry !== null && outputLikeOnce(reading, at, entry) === false && !Array.isArray(entry)
                    ? (readObject(reading, `${at}.`, entry, (p, name, v) => readValue(reading, p, v, shape.list[name]?.shape)) ?? entry)
                    : entry,
            ) ?? value
        );
    }
    if (typeof shape === "object" && "map" in shape && !Array.isArray(value)) {
        return readObject(reading, `${path}.`, value, (p, _name, v) => readValue(reading, p, v, shape.map)) ?? value;
    }
    return value;
}

/**
 * A component's arguments read once: each argument (each entry of a list or map, each field of a list's objects)
 * read exactly once into a plain copy, which is all the component reads from then on, so a getter, a Proxy or a value
 * that changes between reads cannot build half a component from one value and half from another; a read that throws
 * is a finding naming the path; lists, maps and strings larger than any value a component takes are refused before
 * they are walked (their messages quote a prefix). With the findings of the copy against the declared forms (S8).
 */
export function readArguments<T>(args: T, specs: ArgumentSpecs): { readonly args: T; readonly findings: Finding[] } {
    const reading: Reading = { problems: [], unreadable: new Set() };
    const problems: Problem[] = [];
    const objectLike = (typeof args === "object" || typeof args === "function") && args !== null;
    const outputLike = objectLike ? outputLikeOnce(reading, "args", args as object) : false;
    if (!objectLike || Array.isArray(args) || outputLike === true) {
        problems.push({ path: "args", message: `the arguments are ${kindOf(args)}; they take an object.`, fix: "Give the component its arguments as an object." });
        return { args, findings: findingsOf(argumentsWellFormed, [...reading.problems, ...problems]) };
    }
    const copy = outputLike === undefined ? undefined : readObject(reading, "", args as object, (path, name, value) => readValue(reading, path, value, specs[name]?.shape));
    if (copy !== undefined) {
        checkAll("", copy, specs, problems, reading.unreadable);
    }
    return { args: (copy ?? args) as T, findings: findingsOf(argumentsWellFormed, [...reading.problems, ...problems]) };
}

/** The findings (rule arguments-well-formed, S8) of a component's arguments against their declared forms (read once: `readArguments`). */
export function argumentFindings(args: unknown, specs: ArgumentSpecs): Finding[] {
    return readArguments(args, specs).findings;
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
