/**
 * alicloud-sharing/testing: a local emulator of exactly the Alibaba Cloud API actions the package calls, on 127.0.0.1,
 * for tests of your own (the package's tests use it too; `alicloud-sharing emulator` serves it from the command line).
 * It is not Alibaba Cloud: it serves what the documentation describes, and was never compared with a real account.
 *
 * It serves the sharee-side providers' actions: it checks each request's RPC signature (HMAC-SHA1 with the secret it
 * was given) and required parameters, keeps state as the service does (snapshot copies that progress over polls,
 * their tags, deletion), and injects faults on demand: API errors, a gateway's HTML 502, a truncated 200, a reset connection, no
 * answer at all, an error that echoes the request (signature, AccessKeyId, SecurityToken and string-to-sign) or the
 * signature alone in many spellings, before the request is served or after (the answer lost); and pages that do not
 * add up (`pagingQuirks`).
 *
 * It also serves the read-only APIs the audit calls, over an emulated account (`emulator.account`): ECS DescribeRegions,
 * DescribeImages, DescribeImageSharePermission and DescribeSnapshots (listing too); Resource Sharing DescribeRegions,
 * ListResourceShares, ListResourceShareAssociations and ListSharedResources; RAM GetRole, ListPoliciesForRole and
 * GetPolicyVersion; KMS DescribeKey; STS GetCallerIdentity. Actions are routed by the API version the request carries
 * (ECS and Resource Sharing both have DescribeRegions), regional products by `RegionId`, and every list is paged no
 * larger than `account.pageLimit` whatever the request asks, so that callers must follow the pages.
 *
 * And an organization: the resource directory of `emulator.directory` (ResourceDirectoryMaster GetResourceDirectory,
 * ListFoldersForParent, ListAccounts and ListAccountsForParent, to the directory's management account), its member
 * accounts (`emulator.accounts`), STS AssumeRole into a member's role (the role must exist in the member and trust the
 * caller's account; the session policy, when given, limits what the session may call) and the temporary credentials
 * it issues, each request signed with them served from the member's account (signature and security token checked);
 * and, in each account, its disks and instances (ECS DescribeDisks by snapshot, DescribeInstances by image).
 */
import { createHmac, randomBytes } from "crypto";
import { AddressInfo } from "net";
import * as http from "http";

/** The time the emulator answers for what it does not say otherwise (CreateTime, SharedTime). */
const DEFAULT_TIME = "2026-01-05T08:00:00Z";

export const EMULATOR_KEY_ID = "LTAIemulatorKeyId01";
export const EMULATOR_KEY_SECRET = "emulator-secret-never-logged";

/** An STS token the tests hand the SDK (`ALIBABA_CLOUD_SECURITY_TOKEN`): the emulator accepts any token. */
export const EMULATOR_SECURITY_TOKEN = "CAISemulatorSecurityToken0123456789abcdef";

/** An answer instead of the real one: an API error (JSON), or a malformed answer of the given kind. */
export type Fault =
    | { readonly status: number; readonly code: string; readonly message: string }
    /** A gateway's HTML error page (502 Bad Gateway). */
    | { readonly kind: "html502" }
    /** A 200 whose JSON body is cut in the middle. */
    | { readonly kind: "truncated200" }
    /** The connection reset, no answer. */
    | { readonly kind: "reset" }
    /** A 400 SignatureDoesNotMatch whose message echoes the string-to-sign and the request as received (signature, AccessKeyId, SecurityToken). */
    | { readonly kind: "echo" }
    /** No answer at all: the connection is held open until the emulator stops (a server that never answers). */
    | { readonly kind: "hang" }
    /** A 400 SignatureDoesNotMatch whose message echoes the request's signature in many spellings, cases and encodings, and bare. */
    | { readonly kind: "echoSignature" };
export const THROTTLED: Fault = { status: 400, code: "Throttling.User", message: "Request was denied due to user flow control." };
export const UNAVAILABLE: Fault = { status: 503, code: "ServiceUnavailable", message: "The request has failed due to a temporary failure of the server." };
export const HTML_502: Fault = { kind: "html502" };
export const TRUNCATED_200: Fault = { kind: "truncated200" };
export const RESET: Fault = { kind: "reset" };
export const ECHO: Fault = { kind: "echo" };
export const HANG: Fault = { kind: "hang" };
export const ECHO_SIGNATURE: Fault = { kind: "echoSignature" };

/**
 * A list action whose pages do not add up, as a faulty or hostile service's might (every answer of the action until
 * cleared): `repeatToken` sends the NextToken it was given again; `duplicate` starts each page with the last item of
 * the page before; `oversize` ends each page with a copy of its first item (one more than the page holds);
 * `totalTooLow` and `totalTooHigh` report a TotalCount one less or one more than the list holds.
 */
export type PagingQuirk = "repeatToken" | "duplicate" | "oversize" | "totalTooLow" | "totalTooHigh";

/** A snapshot the emulator holds: a copy in progress (polls left, whether it fails), or one of an audit fixture. */
export interface EmulatedSnapshot {
    snapshotId: string;
    regionId: string;
    sourceSnapshotId?: string;
    kmsKeyId?: string;
    encrypted: boolean;
    /** Polls left before the copy is accomplished. */
    pollsLeft: number;
    willFail: boolean;
    clientToken?: string;
    /** The snapshot's name (audit fixtures). */
    snapshotName?: string;
    /** The account it is in, when it is a member's (an organization fixture); absent: the emulator's own account. */
    ownerAccountId?: string;
    /** Its tags, by key. */
    tags?: Record<string, string>;
}

/** An invitation to a resource share, as the sharee lists it. */
export interface EmulatedInvitation {
    invitationId: string;
    resourceShareId: string;
    senderAccountId: string;
    status: "Pending" | "Accepted" | "Rejected" | "Expired";
}

/** A resource share the emulated account owns; resources and targets are associated unless a status says otherwise. */
export interface EmulatedShare {
    resourceShareId: string;
    resourceShareName: string;
    regionId: string;
    /** Defaults to `Active`. */
    status?: "Active" | "Pending" | "Deleting" | "Deleted";
    allowExternalTargets: boolean;
    /** `createTime`: the association's CreateTime as answered (defaults to `2026-01-05T08:00:00Z`; any value, to answer a malformed one). */
    resources: { entityId: string; entityType: string; status?: string; createTime?: unknown }[];
    /** `createTime`: as for resources. */
    targets: { entityId: string; external?: boolean; status?: string; createTime?: unknown }[];
}

/** A resource share another account shares with the emulated account. */
export interface EmulatedReceivedShare {
    resourceShareId: string;
    resourceShareName: string;
    regionId: string;
    ownerAccountId: string;
    resources: { resourceId: string; resourceType: string }[];
}

/** A custom image of the emulated account: the snapshots of its disks (system first) and whom it is shared with. */
export interface EmulatedImage {
    imageId: string;
    regionId: string;
    imageName: string;
    /** Defaults to `Available`. */
    status?: string;
    snapshotIds: string[];
    /** Accounts of its share permissions. */
    accounts: string[];
    /** The SharedTime answered for an account (defaults to `2026-01-05T08:00:00Z`; any value, to answer a malformed one). */
    sharedTimes?: Record<string, unknown>;
    /** Share groups (`all`). */
    shareGroups?: string[];
}

/** A RAM role of the emulated account, with the policies attached to it. */
export interface EmulatedRole {
    roleName: string;
    assumeRolePolicyDocument: string;
    maxSessionDuration: number;
    description?: string;
    attached: { policyName: string; policyType: "Custom" | "System" }[];
}

/** A RAM policy of the emulated account: its default version's document. */
export interface EmulatedPolicy {
    policyName: string;
    policyType: "Custom" | "System";
    defaultVersion: string;
    document: string;
}

/** A KMS key of the emulated account. */
export interface EmulatedKey {
    keyId: string;
    regionId: string;
    deletionProtection: "Enabled" | "Disabled";
    /** Defaults to `Enabled`. */
    keyState?: string;
}

/** A disk of an account, and the snapshot it was created from. */
export interface EmulatedDisk {
    diskId: string;
    regionId: string;
    /** Defaults to `cloud_essd`. */
    category?: string;
    sourceSnapshotId?: string;
    /** The instance it is attached to. */
    instanceId?: string;
    encrypted?: boolean;
    kmsKeyId?: string;
}

/** An instance of an account, and the image it runs. */
export interface EmulatedInstance {
    instanceId: string;
    regionId: string;
    imageId: string;
    instanceName?: string;
    /** Defaults to `Running`. */
    status?: string;
}

/** A folder of the resource directory. */
export interface EmulatedFolder {
    folderId: string;
    folderName: string;
    /** The parent folder: another folder, or the root folder. */
    parentFolderId: string;
}

/** A member of the resource directory. */
export interface EmulatedMember {
    accountId: string;
    displayName: string;
    /** The folder it is in (a folder, or the root folder). */
    folderId: string;
    /** Defaults to `ResourceAccount`. */
    type?: "ResourceAccount" | "CloudAccount";
    /** Defaults to `CreateSuccess`. */
    status?: string;
}

/** The resource directory the emulator's own account manages. */
export interface EmulatedDirectory {
    resourceDirectoryId: string;
    rootFolderId: string;
    /** The management account (the emulator's own account serves it). */
    masterAccountId: string;
    folders: EmulatedFolder[];
    members: EmulatedMember[];
}

/** A session STS AssumeRole issued: its credentials, the account and role it is in, and the session policy. */
export interface EmulatedSession {
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly securityToken: string;
    readonly accountId: string;
    readonly roleArn: string;
    readonly roleSessionName: string;
    /** The account that assumed the role. */
    readonly callerAccountId: string;
    /** The actions its session policy allows (`ecs:DescribeImages`, `ecs:Describe*`…); absent: every action. */
    readonly allowedActions?: readonly string[];
    /** The actions its session policy denies: refused whatever it allows (a Deny wins, as in RAM). */
    readonly deniedActions?: readonly string[];
}

/** The account the audit's read-only APIs serve. Snapshots are the emulator's `snapshots`. */
export interface EmulatedAccount {
    accountId: string;
    /** ECS regions (ECS DescribeRegions). */
    regions: string[];
    /** Where Resource Sharing is offered (its DescribeRegions). */
    sharingRegions: string[];
    shares: EmulatedShare[];
    received: EmulatedReceivedShare[];
    images: EmulatedImage[];
    /** By role name. */
    roles: Map<string, EmulatedRole>;
    /** By `<type>:<name>`. */
    policies: Map<string, EmulatedPolicy>;
    /** By key id. */
    keys: Map<string, EmulatedKey>;
    /** The most entries one page holds, whatever the request asks (the APIs' own maximum is 100). */
    pageLimit: number;
    /** Its disks (DescribeDisks). */
    disks?: EmulatedDisk[];
    /** Its instances (DescribeInstances). */
    instances?: EmulatedInstance[];
}

/** An account with nothing shared, in cn-hangzhou. */
export function emptyAccount(accountId = "1000000000000000"): EmulatedAccount {
    return { accountId, regions: ["cn-hangzhou"], sharingRegions: ["cn-hangzhou"], shares: [], received: [], images: [], roles: new Map(), policies: new Map(), keys: new Map(), pageLimit: 100 };
}

/** The API versions of the emulated products. */
export const VERSIONS = { ecs: "2014-05-26", resourcesharing: "2020-01-10", ram: "2015-05-01", kms: "2016-01-20", sts: "2015-04-01", resourcedirectorymaster: "2022-04-19" } as const;

/** The RAM service code of each product, as a session policy's actions name it (`ecs:DescribeImages`). */
const SERVICE_CODES: Readonly<Record<string, string>> = {
    [VERSIONS.ecs]: "ecs",
    [VERSIONS.resourcesharing]: "resourcesharing",
    [VERSIONS.ram]: "ram",
    [VERSIONS.kms]: "kms",
    [VERSIONS.sts]: "sts",
    [VERSIONS.resourcedirectorymaster]: "resourcedirectory",
};

export interface Emulator {
    readonly endpoint: string;
    /** The account the audit's APIs serve to the emulator's own AccessKey pair; replace it or change it in place. */
    account: EmulatedAccount;
    /** Member accounts, by id: served to the credentials AssumeRole issues for a role of theirs. */
    readonly accounts: Map<string, EmulatedAccount>;
    /** The resource directory the emulator's own account manages, if any. */
    directory: EmulatedDirectory | undefined;
    /** The sessions AssumeRole issued, in order (their secrets too: this is a test double). */
    readonly sessions: EmulatedSession[];
    readonly snapshots: Map<string, EmulatedSnapshot>;
    readonly invitations: Map<string, EmulatedInvitation>;
    /**
     * Every request, as received: action and parameters (the secret is never sent; the signature is recorded apart,
     * in `signature`, so that tests can look for it where it must not be).
     */
    readonly requests: { action: string; params: Record<string, string>; signature: string }[];
    /** Faults to answer the next calls of an action with, in order, instead of serving them. */
    failNext(action: string, ...faults: Fault[]): void;
    /** Serves the next calls of an action, then answers each with the next of these faults instead (the answer lost). */
    loseAnswerOfNext(action: string, ...faults: Fault[]): void;
    /** Resolves once every delayed answer has been sent. */
    idle(): Promise<void>;
    /** How many polls the next copy takes, and whether it fails. */
    nextCopy(options: { polls: number; fails?: boolean }): void;
    /** Delays the next response of an action by this many milliseconds (a timeout on the client side). */
    delayNext(action: string, ms: number): void;
    /** The paging quirk of each list action (see {@link PagingQuirk}); delete an entry, or clear, to page correctly again. */
    readonly pagingQuirks: Map<string, PagingQuirk>;
    /** Stops serving: open connections (a held `hang`) are closed. */
    stop(): Promise<void>;
}

/** Where the emulator listens. */
export interface EmulatorOptions {
    /** The port; 0 (the default) takes any free one. */
    readonly port?: number;
}

const encode = (s: string): string =>
    encodeURIComponent(s).replace(/!/g, "%21").replace(/'/g, "%27").replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/\*/g, "%2A");

/** The RPC signature of a request's parameters, as the service computes it. */
export function rpcSignature(method: string, params: Record<string, string>, secret: string): string {
    const canonical = Object.keys(params)
        .filter((k) => k !== "Signature")
        .sort()
        .map((k) => `${encode(k)}=${encode(params[k])}`)
        .join("&");
    return createHmac("sha1", `${secret}&`).update(`${method}&${encode("/")}&${encode(canonical)}`).digest("base64");
}

/** Whether a policy's action (`ecs:DescribeImages`, `ecs:Describe*`, `*`) covers `service:Action` (case-insensitive, as RAM matches). */
function actionMatches(pattern: string, action: string): boolean {
    const re = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
    return re.test(action);
}

/** The actions a policy document's Allow and Deny statements name (a session policy), or undefined when it is not one. */
function sessionActionsOf(document: string): { allowed: string[]; denied: string[] } | undefined {
    try {
        const doc = JSON.parse(document) as { Statement?: unknown };
        if (!Array.isArray(doc.Statement)) return undefined;
        const of = (effect: string) =>
            (doc.Statement as { Effect?: unknown; Action?: unknown }[]).flatMap((st) =>
                st?.Effect === effect ? (Array.isArray(st.Action) ? st.Action : [st.Action]).filter((a): a is string => typeof a === "string") : [],
            );
        return { allowed: of("Allow"), denied: of("Deny") };
    } catch {
        return undefined;
    }
}

/** The ids of a `SnapshotIds` parameter (a JSON list of strings), or `invalid`. */
function snapshotIdsOf(value: string): string[] | "invalid" {
    try {
        const ids: unknown = JSON.parse(value);
        return Array.isArray(ids) && ids.every((id) => typeof id === "string") ? ids : "invalid";
    } catch {
        return "invalid";
    }
}

/** Whether a role's trust policy lets an account assume it: an Allow of `sts:AssumeRole` to its `acs:ram::<id>:root` (or its id). */
function trustsAccount(trustPolicy: string, accountId: string): boolean {
    try {
        const doc = JSON.parse(trustPolicy) as { Statement?: { Effect?: unknown; Action?: unknown; Principal?: { RAM?: unknown } }[] };
        return (doc.Statement ?? []).some((st) => {
            const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
            const principals = Array.isArray(st.Principal?.RAM) ? st.Principal!.RAM : [st.Principal?.RAM];
            return st.Effect === "Allow" && actions.includes("sts:AssumeRole") && principals.some((p) => p === `acs:ram::${accountId}:root` || p === accountId);
        });
    } catch {
        return false;
    }
}

/** The trust policy of a directory's access role: the management account may assume it. */
export const accessRoleTrust = (managementAccountId: string): string =>
    JSON.stringify({ Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { RAM: [`acs:ram::${managementAccountId}:root`] } }], Version: "1" });

/** Starts an emulator on 127.0.0.1, serving an empty account (replace `account` with yours). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    const snapshots = new Map<string, EmulatedSnapshot>();
    const invitations = new Map<string, EmulatedInvitation>();
    const requests: { action: string; params: Record<string, string>; signature: string }[] = [];
    const faults = new Map<string, Fault[]>();
    const lostAnswers = new Map<string, Fault[]>();
    let pending = 0;
    let drained: (() => void)[] = [];
    const delays = new Map<string, number>();
    let nextCopy = { polls: 0, fails: false };
    let counter = 0;
    /** The emulator's own account (its AccessKey pair's), and the account the request being answered is served from. */
    let primary = emptyAccount();
    let account = primary;
    const accounts = new Map<string, EmulatedAccount>();
    let directory: EmulatedDirectory | undefined;
    const sessions: EmulatedSession[] = [];
    const sessionsByKey = new Map<string, EmulatedSession>();
    /** The session of the request being answered (undefined: the emulator's own AccessKey pair). */
    let session: EmulatedSession | undefined;
    const pagingQuirks = new Map<string, PagingQuirk>();
    /** The last item of each quirky action's previous page (for `duplicate`). */
    const lastItems = new Map<string, unknown>();
    /** The request being answered (handlers answer synchronously). */
    let current: { action: string; params: Record<string, string> } = { action: "", params: {} };

    /** The list of an answer: its array, wherever the action puts it. */
    const listOf = (body: Record<string, unknown>): unknown[] | undefined => {
        for (const [outer, inner] of [["ResourceShares"], ["ResourceShareAssociations"], ["SharedResources"], ["ResourceShareInvitations"], ["Images", "Image"], ["Accounts", "Account"], ["Snapshots", "Snapshot"], ["Folders", "Folder"], ["Disks", "Disk"], ["Instances", "Instance"]]) {
            const v = inner === undefined ? body[outer] : (body[outer] as Record<string, unknown> | undefined)?.[inner];
            if (Array.isArray(v)) return v;
        }
        return undefined;
    };
    /** An answer as the action's paging quirk changes it. */
    const quirky = (body: Record<string, unknown>): Record<string, unknown> => {
        const quirk = pagingQuirks.get(current.action);
        if (quirk === undefined) return body;
        const list = listOf(body);
        switch (quirk) {
            case "repeatToken":
                if (current.params.NextToken && typeof body.NextToken === "string" && body.NextToken !== "") body.NextToken = current.params.NextToken;
                break;
            case "duplicate":
                if (list !== undefined) {
                    // The list asked for: the action and its parameters but the page's and the signature's.
                    const which = [current.action, ...Object.keys(current.params).filter((k) => !/^(NextToken|PageNumber|Signature|SignatureNonce|Timestamp)$/.test(k)).sort().map((k) => `${k}=${current.params[k]}`)].join("&");
                    const last = lastItems.get(which);
                    if (list.length > 0) lastItems.set(which, list[list.length - 1]);
                    if (last !== undefined) list.unshift(last);
                }
                break;
            case "oversize":
                if (list !== undefined && list.length > 0) list.push(list[0]);
                break;
            case "totalTooLow":
            case "totalTooHigh":
                if (typeof body.TotalCount === "number") body.TotalCount += quirk === "totalTooLow" ? -1 : 1;
                break;
        }
        return body;
    };
    const reply = (res: http.ServerResponse, status: number, body: object) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ RequestId: `req-${++counter}`, ...(status === 200 ? quirky({ ...body }) : body) }));
    };
    const error = (res: http.ServerResponse, status: number, code: string, message: string) => reply(res, status, { Code: code, Message: message });
    /** Answers with a fault; `echo` needs the request as received. */
    const answerFault = (res: http.ServerResponse, fault: Fault, req: http.IncomingMessage, params: Record<string, string>) => {
        if (!("kind" in fault)) return error(res, fault.status, fault.code, fault.message);
        switch (fault.kind) {
            case "html502":
                res.writeHead(502, { "content-type": "text/html" });
                return res.end("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>Tengine</center></body></html>");
            case "truncated200": {
                res.writeHead(200, { "content-type": "application/json" });
                const full = JSON.stringify({ RequestId: `req-${++counter}`, SnapshotId: "s-cut", ResourceShareInvitation: { Status: "Accepted" } });
                return res.end(full.slice(0, Math.floor(full.length / 2)));
            }
            case "reset":
                return req.socket.destroy();
            case "hang":
                // Never answered: the connection stays open until the client gives up or the emulator stops.
                return;
            case "echoSignature": {
                const sig = params.Signature ?? "";
                const once = encodeURIComponent(sig);
                return error(
                    res,
                    400,
                    "SignatureDoesNotMatch",
                    `Specified signature is not matched with our calculation. Signature=${sig}; signature: ${sig}; SIGNATURE = "${sig}"; <Signature>${sig}</Signature>; ` +
                        `Signature%3D${once}; Signature%253D${encodeURIComponent(once)}; {"signature" : "${sig}"}; the request ${sig} was refused; again ${once} and ${encodeURIComponent(once)}.`,
                );
            }
            case "echo": {
                const canonical = Object.keys(params).filter((k) => k !== "Signature").sort().map((k) => `${encode(k)}=${encode(params[k])}`).join("&");
                const stringToSign = `${req.method}&${encode("/")}&${encode(canonical)}`;
                return error(res, 400, "SignatureDoesNotMatch", `Specified signature is not matched with our calculation. server string to sign is:${stringToSign} The request was: ${req.method} ${req.url} ${JSON.stringify(params)}`);
            }
        }
    };

    type Params = Record<string, string>;
    type Handler = (p: Params, res: http.ServerResponse) => void;
    const limit = (asked: number) => Math.min(asked, account.pageLimit);
    /** PageNumber / PageSize pages (ECS): PageSize 1 to 100, default 10, no larger than the page limit. */
    const pageOf = (p: Params, total: number): { start: number; end: number; number: number; size: number } | { error: string } => {
        const number = p.PageNumber === undefined ? 1 : Number(p.PageNumber);
        const asked = p.PageSize === undefined ? 10 : Number(p.PageSize);
        if (!Number.isInteger(number) || number < 1) return { error: `PageNumber ${p.PageNumber} is not valid.` };
        if (!Number.isInteger(asked) || asked < 1 || asked > 100) return { error: `PageSize ${p.PageSize} is not valid (1 to 100).` };
        const size = limit(asked);
        const start = Math.min((number - 1) * size, total);
        return { start, end: Math.min(start + size, total), number, size };
    };
    /** MaxResults / NextToken pages (Resource Sharing): MaxResults 1 to 100, default 20, no larger than the page limit. */
    const maxResultsOf = (p: Params): number | { error: string } => {
        const asked = p.MaxResults === undefined ? 20 : Number(p.MaxResults);
        return Number.isInteger(asked) && asked >= 1 && asked <= 100 ? limit(asked) : { error: `MaxResults ${p.MaxResults} is not valid (1 to 100).` };
    };
    /** The values of a repeated parameter (`Name.1`, `Name.2`, …). */
    const repeated = (p: Params, name: string): string[] =>
        Object.keys(p)
            .filter((k) => new RegExp(`^${name}\\.\\d+$`).test(k))
            .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]))
            .map((k) => p[k]);
    /** The tags of a request (`Tag.N.Key`, `Tag.N.Value`), by key. */
    const tagsOf = (p: Params): Record<string, string> =>
        Object.fromEntries(
            Object.keys(p)
                .filter((k) => /^Tag\.\d+\.Key$/.test(k))
                .map((k) => [p[k], p[k.replace(/Key$/, "Value")] ?? ""]),
        );
    /** Checks required parameters; false (and the error sent) when one is missing. */
    const requires = (p: Params, res: http.ServerResponse, ...names: string[]): boolean => {
        const missing = names.find((n) => !p[n]);
        if (missing !== undefined) {
            error(res, 400, "MissingParameter", `${missing} is mandatory for this action.`);
            return false;
        }
        return true;
    };
    /** A page of a list from an offset token. */
    const offsetPage = <T>(p: Params, all: readonly T[], max: number): { items: T[]; next: string } => {
        const start = p.NextToken ? Number(p.NextToken) : 0;
        const items = all.slice(start, start + max);
        return { items, next: start + max < all.length ? String(start + max) : "" };
    };
    const inEffect = (status: string | undefined) => (status ?? "Associated");
    const targetType = (id: string) => (/^[0-9]{16}$/.test(id) ? "Account" : id.startsWith("rd-") ? "ResourceDirectory" : "Folder");

    /** The directory, to its management account; else the error sent and undefined. */
    const managedDirectory = (res: http.ServerResponse): EmulatedDirectory | undefined => {
        if (directory === undefined) {
            error(res, 404, "EntityNotExists.ResourceDirectory", "The resource directory does not exist.");
            return undefined;
        }
        if (account.accountId !== directory.masterAccountId) {
            error(res, 403, "NoPermission", "Only the management account of the resource directory may call this operation.");
            return undefined;
        }
        return directory;
    };
    /** The path of a folder of the directory: `rd-…/r-…/fd-…/…` (the folders it is under, first). */
    const folderPath = (d: EmulatedDirectory, folderId: string): string => {
        const chain: string[] = [];
        for (let at = folderId, hops = 0; at !== d.rootFolderId && hops <= d.folders.length; hops++) {
            chain.unshift(at);
            at = d.folders.find((f) => f.folderId === at)?.parentFolderId ?? d.rootFolderId;
        }
        return [d.resourceDirectoryId, d.rootFolderId, ...chain].join("/");
    };
    const memberRow = (d: EmulatedDirectory, m: EmulatedMember) => ({
        AccountId: m.accountId,
        AccountName: `${m.accountId}@example.com`,
        DisplayName: m.displayName,
        FolderId: m.folderId,
        ResourceDirectoryId: d.resourceDirectoryId,
        ResourceDirectoryPath: `${folderPath(d, m.folderId)}/${m.accountId}`,
        Type: m.type ?? "ResourceAccount",
        Status: m.status ?? "CreateSuccess",
        JoinMethod: m.type === "CloudAccount" ? "invited" : "created",
        JoinTime: "2026-01-05T08:00:00.000Z",
        ModifyTime: "2026-01-05T08:00:00.000Z",
    });

    /** The audit's read-only APIs, by API version, then action. */
    const versioned: Record<string, Record<string, Handler>> = {
        [VERSIONS.ecs]: {
            DescribeRegions: (_p, res) =>
                reply(res, 200, { Regions: { Region: account.regions.map((r) => ({ RegionId: r, LocalName: r, RegionEndpoint: `ecs.${r}.aliyuncs.com`, Status: "available" })) } }),
            DescribeImages: (p, res) => {
                if (!requires(p, res, "RegionId")) return;
                const states = (p.Status || "Available").split(",");
                const own = p.ImageOwnerAlias === "self" || p.ImageOwnerAlias === undefined;
                const all = own ? account.images.filter((i) => i.regionId === p.RegionId && states.includes(i.status ?? "Available")) : [];
                const page = pageOf(p, all.length);
                if ("error" in page) return error(res, 400, "InvalidParameter", page.error);
                const image = (i: EmulatedImage) => ({
                    ImageId: i.imageId,
                    ImageName: i.imageName,
                    ImageOwnerAlias: "self",
                    Status: i.status ?? "Available",
                    IsSelfShared: i.accounts.length > 0 ? "True" : "False",
                    DiskDeviceMappings: {
                        DiskDeviceMapping: i.snapshotIds.map((id, n) => ({ SnapshotId: id, Size: "40", Type: n === 0 ? "system" : "data", Device: `/dev/xvd${String.fromCharCode(97 + n)}`, Encrypted: snapshots.get(id)?.encrypted ?? false })),
                    },
                });
                reply(res, 200, { RegionId: p.RegionId, TotalCount: all.length, PageNumber: page.number, PageSize: page.size, Images: { Image: all.slice(page.start, page.end).map(image) } });
            },
            DescribeDisks: (p, res) => {
                if (!requires(p, res, "RegionId")) return;
                const all = (account.disks ?? []).filter((d) => d.regionId === p.RegionId && (p.SnapshotId === undefined || d.sourceSnapshotId === p.SnapshotId));
                const page = pageOf(p, all.length);
                if ("error" in page) return error(res, 400, "InvalidParameter", page.error);
                reply(res, 200, {
                    TotalCount: all.length,
                    PageNumber: page.number,
                    PageSize: page.size,
                    Disks: {
                        Disk: all.slice(page.start, page.end).map((d) => ({
                            DiskId: d.diskId,
                            RegionId: d.regionId,
                            ZoneId: `${d.regionId}-a`,
                            Category: d.category ?? "cloud_essd",
                            SourceSnapshotId: d.sourceSnapshotId ?? "",
                            InstanceId: d.instanceId ?? "",
                            Encrypted: d.encrypted ?? false,
                            KMSKeyId: d.kmsKeyId ?? "",
                            Status: d.instanceId === undefined ? "Available" : "In_use",
                            Size: 40,
                        })),
                    },
                });
            },
            DescribeInstances: (p, res) => {
                if (!requires(p, res, "RegionId")) return;
                const all = (account.instances ?? []).filter((i) => i.regionId === p.RegionId && (p.ImageId === undefined || i.imageId === p.ImageId));
                const page = pageOf(p, all.length);
                if ("error" in page) return error(res, 400, "InvalidParameter", page.error);
                reply(res, 200, {
                    TotalCount: all.length,
                    PageNumber: page.number,
                    PageSize: page.size,
                    Instances: { Instance: all.slice(page.start, page.end).map((i) => ({ InstanceId: i.instanceId, InstanceName: i.instanceName ?? i.instanceId, ImageId: i.imageId, RegionId: i.regionId, Status: i.status ?? "Running" })) },
                });
            },
            DescribeImageSharePermission: (p, res) => {
                if (!requires(p, res, "RegionId", "ImageId")) return;
                const image = account.images.find((i) => i.imageId === p.ImageId && i.regionId === p.RegionId);
                if (image === undefined) return error(res, 404, "InvalidImageId.NotFound", `The specified ImageId ${p.ImageId} does not exist.`);
                const page = pageOf(p, image.accounts.length);
                if ("error" in page) return error(res, 400, "InvalidParameter", page.error);
                reply(res, 200, {
                    ImageId: image.imageId,
                    RegionId: image.regionId,
                    TotalCount: image.accounts.length,
                    PageNumber: page.number,
                    PageSize: page.size,
                    Accounts: { Account: image.accounts.slice(page.start, page.end).map((a) => ({ AliyunId: a, SharedTime: image.sharedTimes !== undefined && Object.hasOwn(image.sharedTimes, a) ? image.sharedTimes[a] : DEFAULT_TIME })) },
                    ShareGroups: { ShareGroup: (image.shareGroups ?? []).map((g) => ({ Group: g })) },
                });
            },
        },
        [VERSIONS.resourcesharing]: {
            DescribeRegions: (_p, res) =>
                reply(res, 200, { Regions: account.sharingRegions.map((r) => ({ RegionId: r, LocalName: r, RegionEndpoint: `resourcesharing.${r}.aliyuncs.com` })) }),
            ListResourceShares: (p, res) => {
                if (!requires(p, res, "RegionId", "ResourceOwner")) return;
                const max = maxResultsOf(p);
                if (typeof max !== "number") return error(res, 400, "InvalidParameter", max.error);
                const ids = repeated(p, "ResourceShareIds");
                const pick = <T extends { resourceShareId: string; regionId: string }>(xs: T[]) => xs.filter((s) => s.regionId === p.RegionId && (ids.length === 0 || ids.includes(s.resourceShareId)));
                if (p.ResourceOwner === "Self") {
                    const { items, next } = offsetPage(p, pick(account.shares), max);
                    return reply(res, 200, {
                        NextToken: next,
                        ResourceShares: items.map((s) => ({
                            ResourceShareId: s.resourceShareId,
                            ResourceShareName: s.resourceShareName,
                            ResourceShareOwner: account.accountId,
                            ResourceShareStatus: s.status ?? "Active",
                            AllowExternalTargets: s.allowExternalTargets,
                            CreateTime: "2026-01-05T08:00:00Z",
                            UpdateTime: "2026-01-05T08:00:00Z",
                        })),
                    });
                }
                if (p.ResourceOwner === "OtherAccounts") {
                    const { items, next } = offsetPage(p, pick(account.received), max);
                    return reply(res, 200, {
                        NextToken: next,
                        ResourceShares: items.map((s) => ({ ResourceShareId: s.resourceShareId, ResourceShareName: s.resourceShareName, ResourceShareOwner: s.ownerAccountId, ResourceShareStatus: "Active", AllowExternalTargets: true })),
                    });
                }
                return error(res, 400, "InvalidParameter.ResourceOwner", `ResourceOwner ${p.ResourceOwner} is not valid (Self or OtherAccounts).`);
            },
            ListResourceShareAssociations: (p, res) => {
                if (!requires(p, res, "RegionId", "AssociationType")) return;
                if (p.AssociationType !== "Resource" && p.AssociationType !== "Target") return error(res, 400, "InvalidParameter.AssociationType", `AssociationType ${p.AssociationType} is not valid.`);
                const max = maxResultsOf(p);
                if (typeof max !== "number") return error(res, 400, "InvalidParameter", max.error);
                const ids = repeated(p, "ResourceShareIds");
                // The token is "<share index>:<entry index>", so that large accounts page without flattening.
                const [shareAt, entryAt] = (p.NextToken || "0:0").split(":").map(Number);
                const rows: Record<string, unknown>[] = [];
                let next = "";
                for (let i = shareAt; i < account.shares.length && next === ""; i++) {
                    const s = account.shares[i];
                    if (s.regionId !== p.RegionId || (ids.length > 0 && !ids.includes(s.resourceShareId))) continue;
                    const entries = p.AssociationType === "Resource" ? s.resources : s.targets;
                    for (let j = i === shareAt ? entryAt : 0; j < entries.length; j++) {
                        if (rows.length === max) {
                            next = `${i}:${j}`;
                            break;
                        }
                        const e = entries[j];
                        const resource = "entityType" in e;
                        rows.push({
                            ResourceShareId: s.resourceShareId,
                            ResourceShareName: s.resourceShareName,
                            AssociationType: p.AssociationType,
                            AssociationStatus: inEffect(e.status),
                            EntityId: e.entityId,
                            EntityType: resource ? (e as { entityType: string }).entityType : targetType(e.entityId),
                            ...(resource ? {} : { External: (e as { external?: boolean }).external ?? false }),
                            CreateTime: "createTime" in e ? e.createTime : DEFAULT_TIME,
                            UpdateTime: "2026-01-05T08:00:00Z",
                        });
                    }
                }
                reply(res, 200, { NextToken: next, ResourceShareAssociations: rows });
            },
            ListSharedResources: (p, res) => {
                if (!requires(p, res, "RegionId", "ResourceOwner")) return;
                const max = maxResultsOf(p);
                if (typeof max !== "number") return error(res, 400, "InvalidParameter", max.error);
                const all =
                    p.ResourceOwner === "OtherAccounts"
                        ? account.received.filter((s) => s.regionId === p.RegionId).flatMap((s) => s.resources.map((r) => ({ ResourceShareId: s.resourceShareId, ResourceId: r.resourceId, ResourceType: r.resourceType, ResourceStatus: "Available" })))
                        : account.shares.filter((s) => s.regionId === p.RegionId).flatMap((s) => s.resources.map((r) => ({ ResourceShareId: s.resourceShareId, ResourceId: r.entityId, ResourceType: r.entityType })));
                const { items, next } = offsetPage(p, all, max);
                reply(res, 200, { NextToken: next, SharedResources: items });
            },
        },
        [VERSIONS.ram]: {
            GetRole: (p, res) => {
                if (!requires(p, res, "RoleName")) return;
                const role = account.roles.get(p.RoleName);
                if (role === undefined) return error(res, 404, "EntityNotExist.Role", `The role not exists: ${p.RoleName}.`);
                reply(res, 200, {
                    Role: {
                        RoleId: `3${String(p.RoleName.length).padStart(18, "0")}`,
                        RoleName: role.roleName,
                        Arn: `acs:ram::${account.accountId}:role/${role.roleName.toLowerCase()}`,
                        AssumeRolePolicyDocument: role.assumeRolePolicyDocument,
                        MaxSessionDuration: role.maxSessionDuration,
                        Description: role.description ?? "",
                        CreateDate: "2026-01-05T08:00:00Z",
                        UpdateDate: "2026-01-05T08:00:00Z",
                    },
                });
            },
            ListPoliciesForRole: (p, res) => {
                if (!requires(p, res, "RoleName")) return;
                const role = account.roles.get(p.RoleName);
                if (role === undefined) return error(res, 404, "EntityNotExist.Role", `The role not exists: ${p.RoleName}.`);
                reply(res, 200, {
                    Policies: {
                        Policy: role.attached.map((a) => ({
                            PolicyName: a.policyName,
                            PolicyType: a.policyType,
                            DefaultVersion: account.policies.get(`${a.policyType}:${a.policyName}`)?.defaultVersion ?? "v1",
                            Description: "",
                            AttachDate: "2026-01-05T08:00:00Z",
                        })),
                    },
                });
            },
            GetPolicyVersion: (p, res) => {
                if (!requires(p, res, "PolicyType", "PolicyName", "VersionId")) return;
                const policy = account.policies.get(`${p.PolicyType}:${p.PolicyName}`);
                if (policy === undefined) return error(res, 404, "EntityNotExist.Policy", `The policy not exists: ${p.PolicyName}.`);
                if (policy.defaultVersion !== p.VersionId) return error(res, 404, "EntityNotExist.Policy.Version", `The policy version not exists: ${p.VersionId}.`);
                reply(res, 200, { PolicyVersion: { VersionId: policy.defaultVersion, IsDefaultVersion: true, PolicyDocument: policy.document, CreateDate: "2026-01-05T08:00:00Z" } });
            },
        },
        [VERSIONS.kms]: {
            DescribeKey: (p, res) => {
                if (!requires(p, res, "RegionId", "KeyId")) return;
                const key = account.keys.get(p.KeyId);
                if (key === undefined || key.regionId !== p.RegionId) return error(res, 404, "Forbidden.KeyNotFound", `The specified Key is not found.`);
                reply(res, 200, {
                    KeyMetadata: {
                        KeyId: key.keyId,
                        Arn: `acs:kms:${key.regionId}:${account.accountId}:key/${key.keyId}`,
                        KeyState: key.keyState ?? "Enabled",
                        DeletionProtection: key.deletionProtection,
                        KeyUsage: "ENCRYPT/DECRYPT",
                        KeySpec: "Aliyun_AES_256",
                        Origin: "Aliyun_KMS",
                        ProtectionLevel: "SOFTWARE",
                        Creator: account.accountId,
                        CreationDate: "2026-01-05T08:00:00Z",
                    },
                });
            },
        },
        [VERSIONS.sts]: {
            GetCallerIdentity: (_p, res) =>
                reply(
                    res,
                    200,
                    session === undefined
                        ? { AccountId: account.accountId, UserId: account.accountId, Arn: `acs:ram::${account.accountId}:root`, IdentityType: "Account", PrincipalId: account.accountId }
                        : {
                              AccountId: account.accountId,
                              UserId: `300000000000000000:${session.roleSessionName}`,
                              Arn: `${session.roleArn.replace(":role/", ":assumed-role/")}/${session.roleSessionName}`,
                              IdentityType: "AssumedRoleUser",
                              PrincipalId: `300000000000000000:${session.roleSessionName}`,
                              RoleId: "300000000000000000",
                          },
                ),
            AssumeRole: (p, res) => {
                if (!requires(p, res, "RoleArn", "RoleSessionName")) return;
                const arn = /^acs:ram::([0-9]{16}):role\/([A-Za-z0-9.@-]{1,64})$/.exec(p.RoleArn);
                if (arn === null) return error(res, 400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.");
                if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(p.RoleSessionName)) return error(res, 400, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed.");
                const target = arn[1] === primary.accountId ? primary : accounts.get(arn[1]);
                const role = target === undefined ? undefined : [...target.roles.values()].find((r) => r.roleName.toLowerCase() === arn[2].toLowerCase());
                if (role === undefined) return error(res, 404, "EntityNotExist.Role", `The specified Role not exists: ${p.RoleArn}.`);
                if (!trustsAccount(role.assumeRolePolicyDocument, account.accountId)) return error(res, 403, "NoPermission", "You are not authorized to do this action. You should be authorized by RAM.");
                const duration = p.DurationSeconds === undefined ? 3600 : Number(p.DurationSeconds);
                if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration) {
                    return error(res, 400, "InvalidParameter.DurationSeconds", `The DurationSeconds ${p.DurationSeconds} is not from 900 to the role's ${role.maxSessionDuration}.`);
                }
                const sessionActions = p.Policy === undefined ? undefined : p.Policy.length > 2048 ? undefined : sessionActionsOf(p.Policy);
                if (p.Policy !== undefined && sessionActions === undefined) return error(res, 400, "InvalidParameter.PolicyGrammar", "The parameter Policy has not a valid grammar (or is longer than 2048 characters).");
                const issued: EmulatedSession = {
                    accessKeyId: `STS.NT${randomBytes(12).toString("hex")}`,
                    accessKeySecret: randomBytes(24).toString("base64url"),
                    securityToken: `CAIS${randomBytes(48).toString("hex")}`,
                    accountId: target!.accountId,
                    roleArn: `acs:ram::${target!.accountId}:role/${role.roleName.toLowerCase()}`,
                    roleSessionName: p.RoleSessionName,
                    callerAccountId: account.accountId,
                    ...(sessionActions === undefined ? {} : { allowedActions: sessionActions.allowed, deniedActions: sessionActions.denied }),
                };
                sessions.push(issued);
                sessionsByKey.set(issued.accessKeyId, issued);
                reply(res, 200, {
                    Credentials: {
                        AccessKeyId: issued.accessKeyId,
                        AccessKeySecret: issued.accessKeySecret,
                        SecurityToken: issued.securityToken,
                        Expiration: new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
                    },
                    AssumedRoleUser: { Arn: `acs:ram::${target!.accountId}:assumed-role/${role.roleName}/${p.RoleSessionName}`, AssumedRoleId: `300000000000000000:${p.RoleSessionName}` },
                });
            },
        },
        [VERSIONS.resourcedirectorymaster]: {
            GetResourceDirectory: (_p, res) => {
                const d = directory;
                if (d === undefined || (account !== primary && !d.members.some((m) => m.accountId === account.accountId))) {
                    return error(res, 404, "EntityNotExists.ResourceDirectory", "The resource directory does not exist.");
                }
                reply(res, 200, {
                    ResourceDirectory: {
                        ResourceDirectoryId: d.resourceDirectoryId,
                        RootFolderId: d.rootFolderId,
                        MasterAccountId: d.masterAccountId,
                        MasterAccountName: `${d.masterAccountId}@example.com`,
                        CreateTime: "2026-01-05T08:00:00.000Z",
                        ControlPolicyStatus: "Disabled",
                    },
                });
            },
            ListFoldersForParent: (p, res) => {
                const d = managedDirectory(res);
                if (d === undefined) return;
                const parent = p.ParentFolderId || d.rootFolderId;
                if (parent !== d.rootFolderId && !d.folders.some((f) => f.folderId === parent)) return error(res, 404, "EntityNotExists.Folder", `The folder ${parent} does not exist.`);
                const all = d.folders.filter((f) => f.parentFolderId === parent);
                const page = pageOf(p, all.length);
                if ("error" in page) return error(res, 400, "InvalidParameter", page.error);
                reply(res, 200, {
                    TotalCount: all.length,
                    PageNumber: page.number,
                    PageSize: page.size,
                    Folders: { Folder: all.slice(page.start, page.end).map((f) => ({ FolderId: f.folderId, FolderName: f.folderName, CreateTime: "2026-01-05T08:00:00.000Z" })) },
                });
            },
            ListAccounts: (p, res) => {
                const d = managedDirectory(res);
                if (d === undefined) return;
                const page = pageOf(p, d.members.length);
                if ("error" in page) return error(res, 400, "InvalidParameter", page.error);
                reply(res, 200, { TotalCount: d.members.length, PageNumber: page.number, PageSize: page.size, Accounts: { Account: d.members.slice(page.start, page.end).map((m) => memberRow(d, m)) } });
            },
            ListAccountsForParent: (p, res) => {
                const d = managedDirectory(res);
                if (d === undefined || !requires(p, res, "ParentFolderId")) return;
                const all = d.members.filter((m) => m.folderId === p.ParentFolderId);
                const page = pageOf(p, all.length);
                if ("error" in page) return error(res, 400, "InvalidParameter", page.error);
                reply(res, 200, { TotalCount: all.length, PageNumber: page.number, PageSize: page.size, Accounts: { Account: all.slice(page.start, page.end).map((m) => memberRow(d, m)) } });
            },
        },
    };

    const handlers: Record<string, Handler> = {
        CopySnapshot: (p, res) => {
            for (const required of ["RegionId", "SnapshotId", "DestinationRegionId"]) {
                if (!p[required]) return error(res, 400, "MissingParameter", `${required} is mandatory for this action.`);
            }
            const source = snapshots.get(p.SnapshotId);
            if (source === undefined) return error(res, 404, "InvalidSnapshotId.NotFound", `The specified snapshot ${p.SnapshotId} does not exist.`);
            if (p.Encrypted === "true" && !p.KMSKeyId) return error(res, 400, "MissingParameter", "KMSKeyId is mandatory when Encrypted is true.");
            const existing = [...snapshots.values()].find((s) => p.ClientToken !== undefined && s.clientToken === p.ClientToken);
            if (existing !== undefined) return reply(res, 200, { SnapshotId: existing.snapshotId });
            const tags = tagsOf(p);
            const snapshotId = `s-copy${String(++counter).padStart(12, "0")}`;
            snapshots.set(snapshotId, {
                snapshotId,
                regionId: p.DestinationRegionId,
                sourceSnapshotId: p.SnapshotId,
                kmsKeyId: p.KMSKeyId,
                encrypted: p.Encrypted === "true",
                pollsLeft: nextCopy.polls,
                willFail: nextCopy.fails,
                clientToken: p.ClientToken,
                ...(account === primary ? {} : { ownerAccountId: account.accountId }),
                ...(Object.keys(tags).length === 0 ? {} : { tags }),
            });
            nextCopy = { polls: 0, fails: false };
            reply(res, 200, { SnapshotId: snapshotId });
        },
        DescribeSnapshots: (p, res) => {
            // The given ids (in their order), or every snapshot of the region; pages of PageSize (default 10).
            // A JSON list of ids, as the API takes it; anything else is the API's error, never an exception here.
            const ids = p.SnapshotIds ? snapshotIdsOf(p.SnapshotIds) : undefined;
            if (ids === "invalid") return error(res, 400, "InvalidParameter.SnapshotIds", "The specified parameter SnapshotIds is not a JSON array of snapshot ids.");
            const candidates = ids === undefined ? [...snapshots.values()] : ids.map((id) => snapshots.get(id));
            // An account sees its own snapshots: a member's by their owner, the emulator's own account those of none.
            const own = (s: EmulatedSnapshot) => (s.ownerAccountId ?? primary.accountId) === account.accountId;
            // Tag.N: only the snapshots carrying every tag given (a key alone matches any value).
            const wanted = Object.entries(tagsOf(p));
            const found = candidates.filter(
                (s): s is EmulatedSnapshot =>
                    s !== undefined && s.regionId === p.RegionId && own(s) && wanted.every(([k, v]) => s.tags?.[k] !== undefined && (v === "" || s.tags[k] === v)),
            );
            const page = pageOf(p, found.length);
            if ("error" in page) return error(res, 400, "InvalidParameter", page.error);
            const shown = found.slice(page.start, page.end).map((s) => {
                const status = s.pollsLeft > 0 ? "progressing" : s.willFail ? "failed" : "accomplished";
                const progress = s.pollsLeft > 0 ? `${Math.round(100 / (s.pollsLeft + 1))}%` : "100%";
                if (s.pollsLeft > 0) s.pollsLeft--;
                return {
                    SnapshotId: s.snapshotId,
                    SnapshotName: s.snapshotName,
                    Status: status,
                    Progress: progress,
                    Encrypted: s.encrypted,
                    KMSKeyId: s.kmsKeyId,
                    SourceSnapshotId: s.sourceSnapshotId,
                    ...(s.tags === undefined ? {} : { Tags: { Tag: Object.entries(s.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) } }),
                };
            });
            reply(res, 200, { TotalCount: found.length, PageNumber: page.number, PageSize: page.size, Snapshots: { Snapshot: shown } });
        },
        ListResourceShareInvitations: (p, res) => {
            const shareIds = Object.keys(p).filter((k) => /^ResourceShareIds\.\d+$/.test(k)).map((k) => p[k]);
            const all = [...invitations.values()].filter((i) => shareIds.length === 0 || shareIds.includes(i.resourceShareId));
            // One per page, so that callers must follow NextToken.
            const start = p.NextToken ? Number(p.NextToken) : 0;
            const page = all.slice(start, start + 1);
            reply(res, 200, {
                ResourceShareInvitations: page.map((i) => ({ ResourceShareInvitationId: i.invitationId, ResourceShareId: i.resourceShareId, SenderAccountId: i.senderAccountId, Status: i.status })),
                NextToken: start + 1 < all.length ? String(start + 1) : "",
            });
        },
        AcceptResourceShareInvitation: (p, res) => {
            const invitation = invitations.get(p.ResourceShareInvitationId);
            if (invitation === undefined) return error(res, 404, "EntityNotExists.ResourceShareInvitation", "The resource share invitation does not exist.");
            if (invitation.status !== "Pending") return error(res, 400, "InvalidStatus.ResourceShareInvitation", `The invitation is ${invitation.status}.`);
            invitation.status = "Accepted";
            reply(res, 200, { ResourceShareInvitation: { ResourceShareInvitationId: invitation.invitationId, Status: "Accepted" } });
        },
        TagResources: (p, res) => {
            if (!requires(p, res, "RegionId", "ResourceType", "ResourceId.1", "Tag.1.Key")) return;
            if (p.ResourceType !== "snapshot") return error(res, 400, "InvalidResourceType.NotSupported", `The emulator tags snapshots only, not ${p.ResourceType}.`);
            const targets = repeated(p, "ResourceId").map((id) => snapshots.get(id));
            if (targets.some((s) => s === undefined || s.regionId !== p.RegionId)) return error(res, 404, "InvalidResourceId.NotFound", "The specified resource does not exist.");
            for (const s of targets as EmulatedSnapshot[]) s.tags = { ...s.tags, ...tagsOf(p) };
            reply(res, 200, {});
        },
        DeleteSnapshot: (p, res) => {
            if (!snapshots.delete(p.SnapshotId)) return error(res, 404, "InvalidSnapshotId.NotFound", `The specified snapshot ${p.SnapshotId} does not exist.`);
            reply(res, 200, {});
        },
    };

    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
            const url = new URL(req.url ?? "/", "http://emulator");
            const params: Record<string, string> = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(body)) };
            const action = params.Action ?? "";
            requests.push({ action, params: { ...params, Signature: "(checked)" }, signature: params.Signature ?? "" });
            const respond = () => {
                // The emulator's own AccessKey pair, or the temporary credentials of a session AssumeRole issued.
                const from = params.AccessKeyId === EMULATOR_KEY_ID ? undefined : sessionsByKey.get(params.AccessKeyId ?? "");
                const secret = params.AccessKeyId === EMULATOR_KEY_ID ? EMULATOR_KEY_SECRET : from?.accessKeySecret;
                if (secret === undefined) return error(res, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
                if (params.SignatureMethod !== "HMAC-SHA1" || params.Signature !== rpcSignature(req.method ?? "GET", params, secret)) {
                    return error(res, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
                }
                if (from !== undefined && params.SecurityToken !== from.securityToken) {
                    return error(res, 400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token you provided does not match the access key.");
                }
                const served = from === undefined ? primary : accounts.get(from.accountId);
                if (served === undefined) return error(res, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
                const service = SERVICE_CODES[params.Version ?? ""];
                // STS answers any session; anything else only what the session policy allows and does not deny.
                if (from?.allowedActions !== undefined && service !== "sts" && !from.allowedActions.some((a) => actionMatches(a, `${service}:${action}`))) {
                    return error(res, 403, "Forbidden.RAM", `User not authorized to operate on the specified resource, or this API doesn't support RAM: the session policy does not allow ${service}:${action}.`);
                }
                if (service !== "sts" && (from?.deniedActions ?? []).some((a) => actionMatches(a, `${service}:${action}`))) {
                    return error(res, 403, "Forbidden.RAM", `User not authorized to operate on the specified resource, or this API doesn't support RAM: the session policy denies ${service}:${action}.`);
                }
                account = served;
                session = from;
                const fault = faults.get(action)?.shift();
                if (fault !== undefined) return answerFault(res, fault, req, params);
                const handler = versioned[params.Version]?.[action] ?? handlers[action];
                if (handler === undefined) return error(res, 400, "InvalidAction.NotFound", `The emulator does not serve ${action}.`);
                current = { action, params };
                const lost = lostAnswers.get(action)?.shift();
                if (lost !== undefined) {
                    // Served, then the answer is replaced: what the caller sees is the fault.
                    handler(params, { writeHead: () => undefined, end: () => undefined } as unknown as http.ServerResponse);
                    return answerFault(res, lost, req, params);
                }
                try {
                    handler(params, res);
                } catch (e) {
                    // Whatever a caller sends, it is answered: an input the emulator did not foresee is its
                    // InternalError, never an exception that ends the process of the tests using it.
                    if (!res.headersSent) error(res, 500, "InternalError", `The emulator could not serve ${action}: ${(e as Error).message}`);
                }
            };
            const delay = delays.get(action);
            if (delay !== undefined) {
                delays.delete(action);
                pending++;
                setTimeout(() => {
                    respond();
                    if (--pending === 0) {
                        drained.forEach((r) => r());
                        drained = [];
                    }
                }, delay);
            } else {
                respond();
            }
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, "127.0.0.1", () => {
            server.off("error", reject);
            resolve();
        });
    });
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `127.0.0.1:${port}`,
        get account() {
            return primary;
        },
        set account(a: EmulatedAccount) {
            primary = a;
            account = a;
            lastItems.clear();
        },
        accounts,
        get directory() {
            return directory;
        },
        set directory(d: EmulatedDirectory | undefined) {
            directory = d;
        },
        sessions,
        snapshots,
        invitations,
        requests,
        failNext: (action, ...f) => faults.set(action, [...(faults.get(action) ?? []), ...f]),
        loseAnswerOfNext: (action, ...f) => lostAnswers.set(action, [...(lostAnswers.get(action) ?? []), ...f]),
        idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((r) => drained.push(r))),
        nextCopy: (o) => (nextCopy = { polls: o.polls, fails: o.fails ?? false }),
        delayNext: (action, ms) => delays.set(action, ms),
        pagingQuirks,
        stop: () =>
            new Promise((r) => {
                server.close(() => r());
                server.closeAllConnections();
            }),
    };
}
