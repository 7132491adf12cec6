/**
 * Findings carried by an error, as data: a component's InputPropertiesError at construction, or the ResourceError of a
 * check at deploy time. Readers (the offline preview, tests, other tools) take the findings from the error instead of
 * parsing its message; the brand is a plain property, so it survives two copies of this package in one process.
 */
import type { Finding } from "./types";

const BRAND = "__alicloudSharingFindings";

/** An error that carries the findings it reports. */
export type ErrorWithFindings<E extends Error = Error> = E & { readonly findings: readonly Finding[] };

/** A value that will be known later (a Pulumi output): what a refused component's URN is, before it could register. */
export interface Eventual<T> {
    apply(callback: (value: T) => unknown): unknown;
}

/** Attaches findings to an error (and returns it), with the URN of what they are about when it is only known later. */
export function withFindings<E extends Error>(error: E, findings: readonly Finding[], subjectUrn?: Eventual<string>): ErrorWithFindings<E> {
    Object.defineProperty(error, BRAND, { value: true, enumerable: false });
    Object.defineProperty(error, "findings", { value: findings, enumerable: false });
    if (subjectUrn !== undefined) {
        Object.defineProperty(error, "subjectUrn", { value: subjectUrn, enumerable: false });
    }
    return error as ErrorWithFindings<E>;
}

/**
 * Attaches to a refusal the warnings its component would have logged had it been accepted (they are not logged: the
 * component is not made), so a reader can report them beside the errors.
 */
export function withWarnings<E extends Error>(error: E, warnings: readonly Finding[]): E {
    Object.defineProperty(error, "warnings", { value: warnings, enumerable: false });
    return error;
}

/** The warnings a refusal carries beside its findings (empty for any other error). */
export function warningsOfError(error: unknown): readonly Finding[] {
    return findingsOfError(error) === undefined ? [] : ((error as { warnings?: readonly Finding[] }).warnings ?? []);
}

/** The would-be URN of the component an error is about, when the error carries one. */
export function subjectUrnOf(error: unknown): Eventual<string> | undefined {
    return findingsOfError(error) === undefined ? undefined : (error as { subjectUrn?: Eventual<string> }).subjectUrn;
}

/** The findings an error carries, or undefined when it is not one of ours. */
export function findingsOfError(error: unknown): readonly Finding[] | undefined {
    return typeof error === "object" && error !== null && (error as Record<string, unknown>)[BRAND] === true
        ? ((error as { findings: readonly Finding[] }).findings)
        : undefined;
}

/** Where refusals are collected: one collector per process, found by a registered symbol so two copies of the package share it. */
const REFUSALS = Symbol.for("alicloud-sharing.refusals");

/** What the collector offers the components: a way in, and nothing else (the list stays with whoever collects). */
interface RefusalCollector {
    readonly collect: (error: unknown) => void;
}

/**
 * Starts collecting refusals: from now on a component that refuses its arguments registers with no children and
 * unknown outputs instead of throwing, and its error (carrying its findings) lands in the returned list (and is handed
 * to `onRefusal`, when given), so every refused component of a program is reported, not only the first. The collector
 * is fixed for the life of the process (it cannot be removed, replaced, or the list emptied); call once.
 */
export function collectRefusals(onRefusal?: (error: unknown) => void): readonly unknown[] {
    const collected: unknown[] = [];
    const collector: RefusalCollector = Object.freeze({
        collect: (error: unknown) => {
            collected.push(error);
            onRefusal?.(error);
        },
    });
    Object.defineProperty(globalThis, REFUSALS, { value: collector, writable: false, configurable: false, enumerable: false });
    return collected;
}

/** Whether refusals are collected in this process already (by any copy of this package). */
export const collectingRefusals = (): boolean => (globalThis as Record<symbol, unknown>)[REFUSALS] !== undefined;

/**
 * The environment variable the offline preview sets in the program's process (value `report`): components then report
 * each refusal to the engine and go on (components/common.ts), so that every refused component of the program is
 * reported, not only the first. It changes what the program reports, never what the preview judges.
 */
export const REPORT_REFUSALS_VARIABLE = "ALICLOUD_SHARING_REFUSALS";

/**
 * The prefix of the engine debug message that carries an error's findings as data (JSON `{ message, findings }`, the
 * message being the error's own), sent just before the error itself, so that the preview reports them as data instead
 * of parsing the error's text.
 */
export const FINDINGS_LOG_PREFIX = "alicloud-sharing findings: ";

/**
 * Runs a component's checks. A refusal (an error carrying findings) is thrown, unless refusals are being collected:
 * then it is collected and undefined is returned.
 */
export function checkedOrCollected<T>(check: () => T): T | undefined {
    try {
        return check();
    } catch (e) {
        const collector = (globalThis as Record<symbol, unknown>)[REFUSALS] as RefusalCollector | undefined;
        if (typeof collector?.collect === "function" && findingsOfError(e) !== undefined) {
            collector.collect(e);
            return undefined;
        }
        throw e;
    }
}
