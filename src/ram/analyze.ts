/**
 * Reads RAM documents back: what a trust policy lets assume the role, and what a permission policy grants on what.
 * Total functions: any input (a string that is not JSON, a number, a wrong shape) gives an analysis with `problems`,
 * never an exception. The rules, the policy pack and the preview's map use these.
 *
 * The trust reading fails closed (S1): a share role's trust policy is proven safe only when every statement has one
 * of the three documented shapes (C9, C21); anything else is listed in `unsafe`, never skipped.
 */
import { visit } from "jsonc-parser";
import { isAccountId, isResourceDirectoryId, parseFolderPath } from "../alibaba/ids";
import { ANY_ECS_SERVICE_PRINCIPAL, ECS_SERVICE_SUFFIX, RD_ID_CONDITION_KEY, RD_PATH_CONDITION_KEY } from "../alibaba/names";

export interface TrustAnalysis {
    /** Sharee accounts trusted through `<uid>@ecs.aliyuncs.com`. */
    readonly accountIds: readonly string[];
    /**
     * Sharee accounts trusted under directory conditions (`<uid>@ecs.aliyuncs.com` with `sts:ServiceOwnerRDId` /
     * `sts:ServiceOwnerRDPath`): admitted only when the account sits in one of those directories or folders.
     */
    readonly conditionalAccounts: readonly ConditionalAccount[];
    /** Directories trusted through `*@ecs.aliyuncs.com` with `sts:ServiceOwnerRDId`. */
    readonly directoryIds: readonly string[];
    /** Folder paths or patterns trusted through `*@ecs.aliyuncs.com` with `sts:ServiceOwnerRDPath`, as written. */
    readonly folderPathPatterns: readonly string[];
    /**
     * What keeps the policy from being proven to trust only ECS of known accounts, directories or folders (S1): a
     * wildcard with no directory condition, another principal, a Deny or `NotPrincipal`, a condition that is not one of
     * the directory conditions. Empty for a safe policy.
     */
    readonly unsafe: readonly string[];
    /** Whether any principal names ECS's service at all (so the role is meant as a share role, S4). */
    readonly mentionsEcs: boolean;
    /** Whether a principal is a wildcard (`*`, `*@…`, any `*`) or a NotPrincipal: it may admit ECS of any account. */
    readonly mayAdmitAnyService: boolean;
    /** Statements whose conditions, all holding together, admit nobody (a directory and a folder of another). */
    readonly admitsNobody: readonly string[];
    /** What could not be read: not JSON, not an object, a statement of the wrong shape. */
    readonly problems: readonly string[];
}

/** An account trusted only while it sits in a directory or folder. */
export interface ConditionalAccount {
    readonly accountId: string;
    readonly directoryIds?: readonly string[];
    readonly folderPathPatterns?: readonly string[];
}

export interface PermissionGrant {
    readonly actions: readonly string[];
    readonly resources: readonly string[];
    /** The statement has a Condition: it grants only sometimes. */
    readonly conditional?: boolean;
}
export interface PermissionAnalysis {
    /** The Allow statements, as action and resource lists. */
    readonly grants: readonly PermissionGrant[];
    /** The Deny statements, as action and resource lists: they take back what they name. */
    readonly denies: readonly PermissionGrant[];
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

/**
 * The keys a JSON text repeats within one object, as `Statement[0].Principal`: JSON.parse keeps the last of them,
 * another reader may keep the first, so a document that repeats a key cannot be read one way only.
 */
export function repeatedKeys(text: string): string[] {
    const repeated: string[] = [];
    const objects: Set<string>[] = [];
    visit(text, {
        onObjectBegin: () => {
            objects.push(new Set());
        },
        onObjectEnd: () => {
            objects.pop();
        },
        onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
            const keys = objects[objects.length - 1];
            if (keys === undefined) {
                return;
            }
            if (keys.has(property)) {
                const path = pathSupplier().reduce<string>((p, k) => (typeof k === "number" ? `${p}[${k}]` : p === "" ? k : `${p}.${k}`), "");
                repeated.push(path === "" ? property : `${path}.${property}`);
            }
            keys.add(property);
        },
    });
    return repeated;
}

/** The deepest nesting a RAM document may have: a real one is about six deep (Statement, Condition, operator, key, values). */
export const MAX_DOCUMENT_DEPTH = 32;

/** How deep a JSON text nests arrays and objects, counted without parsing (strings skipped); stops counting past `limit`. */
function textDepth(text: string, limit: number): number {
    let depth = 0;
    let deepest = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
            if (c === 92 /* \\ */) {
                i++;
            } else if (c === 34 /* " */) {
                inString = false;
            }
        } else if (c === 34) {
            inString = true;
        } else if (c === 91 /* [ */ || c === 123 /* { */) {
            deepest = Math.max(deepest, ++depth);
            if (deepest > limit) {
                return deepest;
            }
        } else if (c === 93 /* ] */ || c === 125 /* } */) {
            depth--;
        }
    }
    return deepest;
}

/** How deep a parsed value nests arrays and objects, walked without recursion; stops past `limit`. */
function valueDepth(value: Json, limit: number): number {
    let deepest = 0;
    const stack: [Json, number][] = [[value, 1]];
    while (stack.length > 0) {
        const [v, depth] = stack.pop()!;
        if (typeof v !== "object" || v === null) {
            continue;
        }
        deepest = Math.max(deepest, depth);
        if (deepest > limit) {
            return deepest;
        }
        for (const child of Array.isArray(v) ? v : Object.values(v)) {
            stack.push([child, depth + 1]);
        }
    }
    return deepest;
}

/** Parses a document given as JSON text or as an already-parsed object. */
export function parseDocument(document: Json): { statements: Record<string, Json>[]; problems: string[] } {
    let value = document;
    // Nested deeper than any RAM document: not read (a reader that recurses would fail), and never proven safe.
    const depth = typeof value === "string" ? textDepth(value, MAX_DOCUMENT_DEPTH) : valueDepth(value, MAX_DOCUMENT_DEPTH);
    if (depth > MAX_DOCUMENT_DEPTH) {
        return { statements: [], problems: [`the document nests more than ${MAX_DOCUMENT_DEPTH} levels deep, deeper than any RAM policy document`] };
    }
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            return { statements: [], problems: ["the document is not valid JSON"] };
        }
        const repeated = repeatedKeys(document as string);
        if (repeated.length > 0) {
            // Fail closed: which of the values a reader takes is not defined.
            return { statements: [], problems: [`the document repeats the key ${repeated.join(", ")} (a reader may take either value)`] };
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

const ASSUME_ROLE = "sts:AssumeRole";
const quote = (v: unknown): string => JSON.stringify(v);
/** The account of `<uid>@ecs.aliyuncs.com`, when the part before the suffix is an account id. */
const serviceAccount = (value: string): string | undefined => {
    const account = value.endsWith(ECS_SERVICE_SUFFIX) ? value.slice(0, -ECS_SERVICE_SUFFIX.length) : undefined;
    return isAccountId(account) ? account : undefined;
};

/** A folder path as a trust condition may hold it: exact, or (StringLike) with one trailing `*`. */
function isFolderCondition(value: string, operator: string): boolean {
    const body = operator === "StringLike" && value.endsWith("*") ? value.slice(0, -1) : value;
    return !body.includes("*") && parseFolderPath(body.replace(/\/$/, "")) !== undefined;
}

/**
 * Reads a statement's directory conditions; anything else in the condition block is unsafe. The values of one key are
 * alternatives (OR); the keys and operators of a block must all hold (AND), so each key's values come back apart.
 */
function readConditions(condition: Json, where: string, unsafe: string[]): { directories: string[][]; folders: string[][] } {
    const directories: string[][] = [];
    const folders: string[][] = [];
    if (condition === undefined) {
        return { directories, folders };
    }
    if (!isObject(condition)) {
        unsafe.push(`${where}.Condition is ${describe(condition)}, not an object`);
        return { directories, folders };
    }
    for (const [operator, block] of Object.entries(condition)) {
        if (!isObject(block)) {
            unsafe.push(`${where}.Condition.${operator} is ${describe(block)}, not an object`);
            continue;
        }
        for (const [key, raw] of Object.entries(block)) {
            const values = stringList(raw);
            const at = `${where}.Condition.${operator}.${key}`;
            if (operator === "StringEquals" && key === RD_ID_CONDITION_KEY && values !== undefined && values.length > 0) {
                directories.push(values.filter((v) => (isResourceDirectoryId(v) ? true : (unsafe.push(`${at} ${quote(v)} is not a resource directory id`), false))));
            } else if ((operator === "StringEquals" || operator === "StringLike") && key === RD_PATH_CONDITION_KEY && values !== undefined && values.length > 0) {
                folders.push(
                    values.filter((v) => (isFolderCondition(v, operator) ? true : (unsafe.push(`${at} ${quote(v)} is not a folder path (rd-…/r-…[/fd-…], at most a trailing *)`), false))),
                );
            } else {
                unsafe.push(`${at} is not a condition that narrows ECS to a resource directory or folder`);
            }
        }
    }
    return { directories, folders };
}

/** Whether a folder pattern (`rd-…/r-…/fd-…` or with a trailing `*`) admits every folder another admits. */
function covers(wide: string, narrow: string): boolean {
    return wide.endsWith("*") ? narrow.startsWith(wide.slice(0, -1)) : wide === narrow;
}

/** The folder patterns that two AND-ed sets of alternatives both admit: of each pair, the narrower, when one covers the other. */
function intersectFolders(a: readonly string[], b: readonly string[]): string[] {
    const both: string[] = [];
    for (const p of a) {
        for (const q of b) {
            const narrower = covers(p, q) ? q : covers(q, p) ? p : undefined;
            if (narrower !== undefined && !both.includes(narrower)) {
                both.push(narrower);
            }
        }
    }
    return both;
}

/**
 * What a statement's directory conditions admit together: the directories every directory condition names, and the
 * folders every folder condition admits that lie in such a directory. `undefined` parts are not narrowed.
 */
function admittedBy(conditions: { directories: string[][]; folders: string[][] }): { directories?: string[]; folders?: string[] } {
    const directories = conditions.directories.length === 0 ? undefined : conditions.directories.reduce((all, list) => all.filter((d) => list.includes(d)));
    let folders = conditions.folders.length === 0 ? undefined : conditions.folders.reduce((all, list) => intersectFolders(all, list));
    if (folders !== undefined && directories !== undefined) {
        folders = folders.filter((f) => directories.includes(f.split("/")[0]));
    }
    return { directories, folders };
}

/** What a trust policy lets assume the role (C9, C21, S1, S5), failing closed on anything but the documented shapes. */
export function analyzeTrustPolicy(document: Json): TrustAnalysis {
    const { statements, problems } = parseDocument(document);
    const accountIds: string[] = [];
    const directoryIds: string[] = [];
    const folderPathPatterns: string[] = [];
    const unsafe: string[] = [];
    const nobody: string[] = [];
    const conditionalAccounts: ConditionalAccount[] = [];
    let mentionsEcs = false;
    let anyService = false;
    statements.forEach((s, i) => {
        const where = `Statement[${i}]`;
        anyService ||= s.NotPrincipal !== undefined || s.Principal === "*" || (isObject(s.Principal) && Object.values(s.Principal).some((v) => (stringList(v) ?? []).some((p) => p.includes("*"))));
        for (const key of ["NotPrincipal", "NotAction"]) {
            if (s[key] !== undefined) {
                unsafe.push(`${where} uses ${key}, which grants everyone it does not name`);
                mentionsEcs ||= JSON.stringify(s[key]).includes(ECS_SERVICE_SUFFIX);
            }
        }
        if (s.Effect !== "Allow") {
            unsafe.push(`${where} has Effect ${quote(s.Effect)}; a share role's trust policy has only Allow statements`);
        }
        const actions = stringList(s.Action);
        if (actions === undefined || actions.length === 0 || actions.some((a) => a !== ASSUME_ROLE)) {
            unsafe.push(`${where} has Action ${quote(s.Action)}; a share role's trust policy allows exactly ${ASSUME_ROLE}`);
        }
        const principal = s.Principal;
        if (!isObject(principal)) {
            if (principal === "*") {
                unsafe.push(`${where} trusts Principal "*": anyone could assume the role`);
            } else if (s.NotPrincipal === undefined) {
                problems.push(`${where} has no readable Principal`);
            }
            return;
        }
        const read = readConditions(s.Condition, where, unsafe);
        // A condition none of whose values could be read is already unsafe; it narrows nothing here.
        const conditions = { directories: read.directories.filter((d) => d.length > 0), folders: read.folders.filter((f) => f.length > 0) };
        const narrowed = conditions.directories.length > 0 || conditions.folders.length > 0;
        const admitted = admittedBy(conditions);
        // A folder condition narrows a directory condition: the statement admits those folders, not the whole directory.
        const directories = admitted.folders !== undefined ? [] : (admitted.directories ?? []);
        const folders = admitted.folders ?? [];
        if (narrowed && directories.length === 0 && folders.length === 0) {
            nobody.push(`${where}'s conditions admit no directory or folder together (every condition must hold)`);
        }
        for (const [kind, raw] of Object.entries(principal)) {
            const values = stringList(raw);
            if (values === undefined) {
                problems.push(`${where}.Principal.${kind} is not a string or a list of strings`);
                continue;
            }
            for (const value of values) {
                mentionsEcs ||= value.endsWith(ECS_SERVICE_SUFFIX);
                const account = kind === "Service" ? serviceAccount(value) : undefined;
                if (account !== undefined && narrowed) {
                    // Every condition of the statement holds too: the account, only when it sits in the directory or folder.
                    conditionalAccounts.push({ accountId: account, ...(admitted.directories === undefined ? {} : { directoryIds: admitted.directories }), ...(admitted.folders === undefined ? {} : { folderPathPatterns: admitted.folders }) });
                } else if (account !== undefined) {
                    accountIds.push(account);
                } else if (kind === "Service" && value === ANY_ECS_SERVICE_PRINCIPAL) {
                    if (!narrowed) {
                        unsafe.push(`${where} trusts ${quote(value)} with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition: any account's ECS could use the key`);
                    }
                    directoryIds.push(...directories);
                    folderPathPatterns.push(...folders);
                } else {
                    unsafe.push(`${where} trusts ${kind} ${quote(value)}, which is not ECS's service in a 16-digit account (<uid>${ECS_SERVICE_SUFFIX}) or ${ANY_ECS_SERVICE_PRINCIPAL} with a directory condition`);
                }
            }
        }
    });
    return { accountIds, conditionalAccounts, directoryIds, folderPathPatterns, unsafe, mentionsEcs, mayAdmitAnyService: anyService, admitsNobody: nobody, problems };
}

/** The Allow grants of a permission policy (S2). `NotAction` / `NotResource` on an Allow grant everything else: a problem. */
export function analyzePermissionPolicy(document: Json): PermissionAnalysis {
    const { statements, problems } = parseDocument(document);
    const grants: PermissionGrant[] = [];
    const denies: PermissionGrant[] = [];
    statements.forEach((s, i) => {
        if (s.Effect === "Deny") {
            // A Deny takes back what it names; NotAction / NotResource deny everything else: taken as denying all.
            const actions = s.NotAction !== undefined ? ["*"] : (stringList(s.Action) ?? ["*"]);
            const resources = s.NotResource !== undefined ? ["*"] : (stringList(s.Resource) ?? ["*"]);
            denies.push({ actions, resources, conditional: s.Condition !== undefined });
            return;
        }
        if (s.Effect !== "Allow") {
            return;
        }
        for (const key of ["NotAction", "NotResource"]) {
            if (s[key] !== undefined) {
                problems.push(`Statement[${i}] allows with ${key}, which grants everything it does not name`);
            }
        }
        const actions = stringList(s.Action);
        const resources = stringList(s.Resource);
        if (actions === undefined || resources === undefined) {
            if (s.NotAction === undefined && s.NotResource === undefined) {
                problems.push(`Statement[${i}] has no readable Action or Resource`);
            }
            return;
        }
        grants.push(s.Condition === undefined ? { actions, resources } : { actions, resources, conditional: true });
    });
    return { grants, denies, problems };
}
