/**
 * Reads RAM documents back: what a trust policy lets assume the role, and what a permission policy
 * grants on what. Total functions: any input (a string that is not JSON, a number, a wrong shape)
 * gives an analysis with `problems`, never an exception. The rules and the policy pack use these.
 */
import { ANY_ECS_SERVICE_PRINCIPAL, ECS_SERVICE_SUFFIX, RD_ID_CONDITION_KEY, RD_PATH_CONDITION_KEY } from "../alibaba/names";

export interface TrustAnalysis {
    /** Sharee accounts trusted through `<uid>@ecs.aliyuncs.com`. */
    readonly accountIds: readonly string[];
    /** Directories trusted through `*@ecs.aliyuncs.com` with `sts:ServiceOwnerRDId`. */
    readonly directoryIds: readonly string[];
    /** Folder patterns trusted through `*@ecs.aliyuncs.com` with `sts:ServiceOwnerRDPath`. */
    readonly folderPathPatterns: readonly string[];
    /** Wildcard principals (`*@ecs.aliyuncs.com`, `*`) allowed with no directory condition (S1). */
    readonly openPrincipals: readonly string[];
    /** Principals other than ECS's service in some account (RAM accounts, other services). */
    readonly otherPrincipals: readonly string[];
    /** What could not be read: not JSON, not an object, a statement of the wrong shape. */
    readonly problems: readonly string[];
}

export interface PermissionGrant {
    readonly actions: readonly string[];
    readonly resources: readonly string[];
}
export interface PermissionAnalysis {
    /** The Allow statements, as action and resource lists. */
    readonly grants: readonly PermissionGrant[];
    readonly problems: readonly string[];
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A string or an array of strings as a list; anything else as undefined. */
function stringList(v: Json): string[] | undefined {
    if (typeof v === "string") {
        return [v];
    }
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) {
        return v as string[];
    }
    return undefined;
}

/** Parses a document given as JSON text or as an already-parsed object. */
export function parseDocument(document: Json): { statements: Record<string, Json>[]; problems: string[] } {
    let value = document;
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            return { statements: [], problems: ["the document is not valid JSON"] };
        }
    }
    if (!isObject(value)) {
        return { statements: [], problems: [`the document is ${describe(value)}, not a JSON object`] };
    }
    const raw = value.Statement;
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    const statements: Record<string, Json>[] = [];
    const problems: string[] = [];
    if (raw === undefined) {
        problems.push("the document has no Statement");
    }
    list.forEach((s, i) => (isObject(s) ? statements.push(s) : problems.push(`Statement[${i}] is ${describe(s)}, not an object`)));
    return { statements, problems };
}

function describe(v: Json): string {
    return v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`;
}

const isAllow = (s: Record<string, Json>): boolean => s.Effect === "Allow";

/** What a trust policy lets assume the role (C9, C21, S1, S5). */
export function analyzeTrustPolicy(document: Json): TrustAnalysis {
    const { statements, problems } = parseDocument(document);
    const accountIds: string[] = [];
    const directoryIds: string[] = [];
    const folderPathPatterns: string[] = [];
    const openPrincipals: string[] = [];
    const otherPrincipals: string[] = [];
    statements.forEach((s, i) => {
        if (!isAllow(s)) {
            return;
        }
        const principal = s.Principal;
        const entries: [string, string[] | undefined][] =
            principal === "*" ? [["*", ["*"]]] : isObject(principal) ? Object.entries(principal).map(([k, v]) => [k, stringList(v)]) : [];
        if (entries.length === 0) {
            problems.push(`Statement[${i}] has no readable Principal`);
            return;
        }
        const condition = isObject(s.Condition) ? s.Condition : {};
        const directoryCondition = conditionValues(condition, "StringEquals", RD_ID_CONDITION_KEY);
        const pathCondition = conditionValues(condition, "StringLike", RD_PATH_CONDITION_KEY);
        for (const [kind, values] of entries) {
            if (values === undefined) {
                problems.push(`Statement[${i}].Principal.${kind} is not a string or a list of strings`);
                continue;
            }
            for (const value of values) {
                const wildcard = value === "*" || value === ANY_ECS_SERVICE_PRINCIPAL;
                if (wildcard) {
                    if (directoryCondition.length === 0 && pathCondition.length === 0) {
                        openPrincipals.push(value);
                    }
                    directoryIds.push(...directoryCondition);
                    folderPathPatterns.push(...pathCondition);
                } else if (kind === "Service" && value.endsWith(ECS_SERVICE_SUFFIX)) {
                    accountIds.push(value.slice(0, -ECS_SERVICE_SUFFIX.length));
                } else {
                    otherPrincipals.push(`${kind}:${value}`);
                }
            }
        }
    });
    return { accountIds, directoryIds, folderPathPatterns, openPrincipals, otherPrincipals, problems };
}

function conditionValues(condition: Record<string, Json>, operator: string, key: string): string[] {
    const block = condition[operator];
    return isObject(block) ? (stringList(block[key]) ?? []) : [];
}

/** The Allow grants of a permission policy (S2). */
export function analyzePermissionPolicy(document: Json): PermissionAnalysis {
    const { statements, problems } = parseDocument(document);
    const grants: PermissionGrant[] = [];
    statements.forEach((s, i) => {
        if (!isAllow(s)) {
            return;
        }
        const actions = stringList(s.Action);
        const resources = stringList(s.Resource);
        if (actions === undefined || resources === undefined) {
            problems.push(`Statement[${i}] has no readable Action or Resource`);
            return;
        }
        grants.push({ actions, resources });
    });
    return { grants, problems };
}
