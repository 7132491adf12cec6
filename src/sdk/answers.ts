/**
 * The shape of an answer, checked before it is read: a list answer without its list, a list that is not an array,
 * rows that are not objects, a NextToken that is not a string. Each is an {@link AlibabaApiError} of code
 * `InvalidResponse` naming the action, the list and what was wrong, never read as a shorter (or empty) list: what the
 * audit cannot read whole, it does not report as read.
 */
import { AlibabaApiError } from "./errors";

type Row = Record<string, unknown>;

const FIX = "The answer does not have the API's shape, so the list cannot be read whole: run it again; if it happens again, report it to Alibaba Cloud with the request id.";

/** What a value is, for the error (never the value itself: it came from outside). */
function kindOf(value: unknown): string {
    if (value === undefined) {
        return "no value";
    }
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "a list";
    }
    return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The error of an answer that does not have the API's shape. */
export function malformedAnswer(action: string, resource: string, detail: string, requestId?: string): AlibabaApiError {
    return new AlibabaApiError({ action, resource, code: "InvalidResponse", detail, fix: FIX, retryable: false, requestId });
}

/**
 * The rows of a list answer (`field` names it, e.g. `ResourceShares` or `Accounts.Account`): an array of objects.
 * Anything else (no list, a list wrapped in an object, a row that is text) is refused.
 */
export function rowsOf(value: unknown, field: string, action: string, resource: string, requestId?: string): Row[] {
    if (!Array.isArray(value)) {
        throw malformedAnswer(action, resource, `the answer's ${field} is ${kindOf(value)}, not the list of rows the API answers`, requestId);
    }
    const bad = value.findIndex((r) => typeof r !== "object" || r === null || Array.isArray(r));
    if (bad >= 0) {
        throw malformedAnswer(action, resource, `row ${bad + 1} of the answer's ${field} is ${kindOf(value[bad])}, not an object`, requestId);
    }
    return value as Row[];
}

/** A list of the ECS SDK's answer (its model, already parsed): an array, else refused. */
export function listOf<T>(value: readonly T[] | undefined, field: string, action: string, resource: string, requestId?: string): readonly T[] {
    if (!Array.isArray(value)) {
        throw malformedAnswer(action, resource, `the answer's ${field} is ${kindOf(value)}, not the list the API answers`, requestId);
    }
    return value;
}

/** The NextToken of a page: a string (empty or absent on the last page); a number or anything else is refused. */
export function nextTokenOf(value: unknown, action: string, resource: string, requestId?: string): string | undefined {
    if (value === undefined || value === null || value === "") {
        return undefined;
    }
    if (typeof value !== "string") {
        throw malformedAnswer(action, resource, `the answer's NextToken is ${kindOf(value)}, not a string: the pages after it cannot be asked for`, requestId);
    }
    return value;
}

/** The TotalCount of a page: a whole number, or absent; anything else is refused. */
export function totalCountOf(value: unknown, action: string, resource: string, requestId?: string): number | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
        throw malformedAnswer(action, resource, `the answer's TotalCount is ${kindOf(value)}${typeof value === "number" ? ` (${value})` : ""}, not a count`, requestId);
    }
    return value;
}

/** `2026-01-05T08:00:00Z`, `2022-09-02T06:43:12.353Z`: the UTC times the APIs answer (ISO 8601, `Z`). */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?Z$/;

/** How far after this machine's clock an answered time may be (the service's clock may be ahead): a day. */
const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/**
 * A time an answer gives (`CreateTime`, `SharedTime`), as `YYYY-MM-DDTHH:MM:SSZ` in UTC; anything else (no value, another
 * format, a date that does not exist, before 1970, or more than a day after `now`: what was made cannot be made later
 * than it is read) is no time: it is shown as not reported, never as the text the answer gave.
 */
export function utcTimeOf(value: unknown, now: number = Date.now()): string | undefined {
    if (typeof value !== "string" || !UTC_TIME.test(value)) {
        return undefined;
    }
    const [date, time] = value.slice(0, -1).split("T");
    const [y, m, d] = date.split("-").map(Number);
    const [hh, mm, ss = 0] = time.split(":").map((p) => Math.floor(Number(p)));
    const ms = Date.UTC(y, m - 1, d, hh, mm, ss);
    const parsed = new Date(ms);
    // Date.UTC rolls over (February 30th is March 2nd): such a date is refused, not moved.
    if (Number.isNaN(ms) || y < 1970 || ms > now + CLOCK_SKEW_MS || parsed.getUTCFullYear() !== y || parsed.getUTCMonth() !== m - 1 || parsed.getUTCDate() !== d || parsed.getUTCHours() !== hh || parsed.getUTCMinutes() !== mm || parsed.getUTCSeconds() !== ss) {
        return undefined;
    }
    return `${parsed.toISOString().slice(0, 19)}Z`;
}
