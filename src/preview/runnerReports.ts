/**
 * What the program's runner reports through the engine log, read back: the findings components send as data, a
 * program's error as people should see it (its message and where in the program it was thrown, or the compiler's
 * diagnostics), and, when a component's error came without its data (a program that turned the reporting off, an
 * older copy of this package), the findings its text carries (`[ids] message fix (rule id)`, one per argument).
 */
import { stripVTControlCharacters } from "util";
import { FINDINGS_LOG_PREFIX } from "../rules/errors";
import type { Finding } from "../rules/types";
import { stackPosition } from "./positions";

/** A control character other than newline and tab (C0, DEL, C1). */
const isControl = (c: number): boolean => (c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f);

/**
 * Text from the program for the report: escape sequences (the runner colours stack traces) removed, then any other
 * control character but newline and tab, so that nothing it sends can garble a terminal.
 */
export function plainText(text: string): string {
    return [...stripVTControlCharacters(text)].filter((ch) => !isControl(ch.codePointAt(0)!)).join("");
}

/** The findings a component sent as data, with the error message they belong to. */
export interface ReportedFindings {
    readonly message: string;
    readonly findings: readonly Finding[];
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const optionalString = (v: unknown): boolean => v === undefined || typeof v === "string";

/** A finding as data, checked field by field (the log is the program's: anything else is not a finding). */
function findingOf(value: unknown): Finding | undefined {
    if (typeof value !== "object" || value === null) {
        return undefined;
    }
    const f = value as Record<string, unknown>;
    const subject = f.subject as Record<string, unknown> | undefined;
    const valid =
        typeof f.ruleId === "string" &&
        typeof f.message === "string" &&
        typeof f.fix === "string" &&
        typeof f.path === "string" &&
        isStringList(f.constraints) &&
        (f.severity === "error" || f.severity === "warning") &&
        (subject === undefined || (typeof subject === "object" && subject !== null && typeof subject.type === "string" && typeof subject.name === "string" && optionalString(subject.urn)));
    if (!valid) {
        return undefined;
    }
    return {
        ruleId: f.ruleId as string,
        constraints: f.constraints as Finding["constraints"],
        severity: f.severity as Finding["severity"],
        message: f.message as string,
        fix: f.fix as string,
        path: f.path as string,
        ...(subject === undefined ? {} : { subject: { type: subject.type as string, name: subject.name as string } }),
    };
}

/** The findings of a debug message of the log, when it carries some (FINDINGS_LOG_PREFIX). */
export function reportedFindingsOf(message: string): ReportedFindings | undefined {
    if (!message.startsWith(FINDINGS_LOG_PREFIX)) {
        return undefined;
    }
    try {
        const data = JSON.parse(message.slice(FINDINGS_LOG_PREFIX.length)) as { message?: unknown; findings?: unknown };
        const findings = Array.isArray(data.findings) ? data.findings.map(findingOf) : [];
        if (typeof data.message !== "string" || findings.length === 0 || findings.some((f) => f === undefined)) {
            return undefined;
        }
        return { message: data.message, findings: findings as Finding[] };
    } catch {
        return undefined;
    }
}

/** How the runner introduces an error the program did not handle. */
const UNHANDLED = /^Running program '[^\n]*' failed with an unhandled exception:\n/;

/** A finding as its text shows it: `[C1, C2] message fix (rule id)`. */
const FORMATTED = /^\[((?:[A-Z][0-9]+(?:, )?)*)\] (.+) \(rule ([a-z0-9-]+)\)$/;
const REFUSAL_HEADER = /^(?:\w*Error: )?([A-Za-z]+) "(.*)" has \d+ invalid arguments?:$/;

/** A finding read from its text: the message holds the fix too (the text does not say where one ends). */
export interface FindingInText {
    readonly ruleId: string;
    readonly constraints: readonly string[];
    readonly text: string;
    /** The text without its ids and rule: the message and its fix. */
    readonly message: string;
    readonly path: string;
    /** The refused component's class and name, for an argument error. */
    readonly component?: { readonly className: string; readonly name: string };
}

/**
 * The findings an error's text carries, when the text (up to its stack) is nothing but findings: a component's
 * argument error (`Class "name" has N invalid arguments:` then `  - path: [ids] … (rule id)`) or a deploy-time check's
 * (`path: [ids] … (rule id)` lines). Undefined for any other text.
 */
export function findingsInText(message: string): FindingInText[] | undefined {
    const lines = errorLines(plainText(message).replace(UNHANDLED, ""));
    const header = lines[0]?.match(REFUSAL_HEADER);
    const body = header === null || header === undefined ? lines : lines.slice(1);
    const findings = body.map((line) => {
        const m = line.match(/^(?: {2}- )?((?:[^:\s]|: )*?): (\[.*)$/)?.slice(1);
        const formatted = m?.[1].match(FORMATTED);
        return m === undefined || formatted === null || formatted === undefined
            ? undefined
            : {
                  ruleId: formatted[3],
                  constraints: formatted[1] === "" ? [] : formatted[1].split(", "),
                  text: m[1],
                  message: formatted[2],
                  path: m[0],
                  ...(header === null || header === undefined ? {} : { component: { className: header[1], name: header[2] } }),
              };
    });
    return findings.length > 0 && findings.every((f) => f !== undefined) ? (findings as FindingInText[]) : undefined;
}

/** An error's text without its stack: the lines before the first frame (`    at …`), or before util.inspect's `{` of own properties. */
function errorLines(text: string): string[] {
    const lines = text.replace(/\s+$/, "").split("\n");
    const end = lines.findIndex((l) => /^\s+at /.test(l) || l === "{" || /^\s*\{$/.test(l));
    return (end === -1 ? lines : lines.slice(0, end)).filter((l, i, all) => !(i === all.length - 1 && l.trim() === ""));
}

/**
 * An error the runner logged, for people: its message and where in the program it was thrown (the first stack frame in
 * the program's folder, outside node_modules), or the compiler's diagnostics for a type error.
 */
export function describeLoggedError(message: string, programDir: string): string {
    const text = plainText(message);
    const unhandled = UNHANDLED.test(text);
    const body = text.replace(UNHANDLED, "");
    if (body.startsWith("TSError: ")) {
        const diagnostics = body
            .slice("TSError: ".length)
            .split("\n")
            .filter((line) => line.trim() !== "" && !/Unable to compile TypeScript/.test(line) && !/^\s+at /.test(line))
            .map((line) => `  ${line.trimEnd()}`);
        return `the program does not type-check (pulumi preview checks it too; --transpile-only skips the check):\n${diagnostics.join("\n")}`;
    }
    if (!unhandled && !/\n\s+at /.test(body)) {
        // A message the program logged itself (pulumi.log.error), or an error shown without its stack.
        return body.replace(/\s+$/, "");
    }
    const lines = errorLines(body);
    const first = (lines[0] ?? "").replace(/^Error: /, "");
    const frame = stackPosition(body, programDir);
    const shown = [first, ...lines.slice(1)].join("\n");
    return frame === undefined ? shown : `${shown}\n    at ${frame.file}:${frame.line}:${frame.column}`;
}
