/**
 * The audit of an organization: the resource directory read from its management account, every member read through
 * the directory's access role (STS AssumeRole, a session limited to the read actions), a bounded number of accounts
 * at a time, one account's failure reported without stopping the others; and everything read judged as one sharing
 * graph (every account's resources together, the directory's tree as the organization file): what each owner shares,
 * what each member receives, the shares no stack declares (with intended files), and, for a share about to be removed,
 * who loses what (the disks made from its snapshots and the instances running its images in the recipients' accounts).
 */
import { isAccountId, isFolderId, isImageId, isResourceDirectoryId, isRootFolderId } from "../alibaba/ids";
import { OrganizationFile, organizationOf } from "../graph/organization";
import { policies as packPolicies } from "../policy/policies";
import { readOrganizationFile } from "../graph/organization";
import { sharedResourceKind } from "../policy/adapters";
import type { Verdict } from "../preview/verdicts";
import { terminalText } from "../report/safe";
import { AlibabaApiError, redact } from "../sdk/errors";
import { apiSettings } from "../sdk/settings";
import { AuditContext, Deadline, auditContext } from "./clients";
import { DirectoryRead, organizationOfDirectory, readDirectory } from "./directory";
import { IntendedState, readIntended } from "./drift";
import { LiveDisk, LiveInstance, describeDisksFromSnapshot, describeInstancesOfImage } from "./ecs";
import { JudgedViolation, PolicyConfig, judgeResources } from "./judge";
import { AccountRead, LiveShare, sharesInEffect } from "./model";
import { readAccount } from "./read";
import { AuditOptions, AuditSetupError, DEFAULT_DEADLINE_MS, DEFAULT_HOME_REGION, checked, readJson, verdictsOf, withinDeadline, withoutStaleTrust } from "./run";
import { DIRECTORY_ACCESS_ROLE, assumeRole } from "./sts";
import { AuditResource, RECEIVED_SNAPSHOT_POLICY_NAMES, auditView, withDirectoryMembers, withReceivedSnapshots } from "./view";

/** Accounts read at once, by default. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 4;
/** The session name the audit's AssumeRole sessions carry (the members' logs show it). */
export const AUDIT_SESSION_NAME = "alicloud-sharing-audit";

/** What to audit in an organization, and how: the single audit's options, and these. */
export interface OrganizationAuditOptions extends Omit<AuditOptions, "intended" | "intendedFile"> {
    /** The role assumed in each member. Defaults to `ResourceDirectoryAccountAccessRole`. */
    readonly accessRole?: string;
    /** Accounts read at once (their requests share `concurrency`). Defaults to 4. */
    readonly accountConcurrency?: number;
    /** What stacks declare: the parsed JSON of previews or stack exports (each as `intended` of the single audit). */
    readonly intended?: readonly unknown[];
    /** Files holding them (used when `intended` is not given). */
    readonly intendedFiles?: readonly string[];
    /** Shares (`rs-…`) or images (`m-…`, their share permissions) about to be removed: who loses what. */
    readonly removing?: readonly string[];
}

/** One account of the organization, and how its reading went. */
export interface OrganizationAccountAudit {
    readonly accountId: string;
    readonly name?: string;
    /** Where it sits: `rd-…/r-…[/fd-…]`. */
    readonly path: string;
    readonly management: boolean;
    /** What was read, when it was. */
    readonly read?: AccountRead;
    /** Why it was not read (an error, redacted), when it was not. */
    readonly error?: string;
}

/** One share of an owner, as the organization sees it. */
export interface OwnedShare {
    readonly ownerAccountId: string;
    /** `rs-…`, or the image id of image share permissions. */
    readonly id: string;
    readonly name: string;
    readonly region: string;
    readonly via: "resource share" | "image permission";
    /** `snapshot`, `image`, or `resource` (another kind). */
    readonly kind: string;
    readonly resources: readonly { readonly id: string; readonly type: string }[];
    /** The targets as shared: account, directory or folder ids. */
    readonly targets: readonly string[];
}

/** What a member receives, from whom, and how it reaches it. */
export interface Receipt {
    readonly fromAccountId?: string;
    readonly shareId: string;
    readonly shareName?: string;
    readonly region: string;
    /** `account`, `directory <rd-…>`, `folder <fd-…>`, `image permission`, or `outside the directory` (read in the member). */
    readonly via: string;
    readonly resources: readonly { readonly id: string; readonly type: string }[];
}

/** A share of an account that no stack declares. */
export interface UndeclaredShare {
    readonly accountId: string;
    readonly kind: "share" | "imagePermission";
    /** `region/name (rs-…)` or `m-…: <account>`. */
    readonly key: string;
}

/** What one recipient account loses when a share is removed. */
export interface RecipientLoss {
    readonly accountId: string;
    /** How the share reaches it. */
    readonly via: string;
    /** Whether its account was read (a member the audit read); else `reason`. */
    readonly readable: boolean;
    readonly reason?: string;
    /** Disks made from the share's snapshots. */
    readonly disks: readonly LiveDisk[];
    /** Instances running the share's images. */
    readonly instances: readonly LiveInstance[];
}

/** A share about to be removed, and who loses what (C15). */
export interface RemovalImpact {
    /** As asked: `rs-…` or `m-…`. */
    readonly id: string;
    /** The share, when found among what was read. */
    readonly share?: OwnedShare;
    readonly recipients: readonly RecipientLoss[];
    /** Why nothing could be said, when the share was not found. */
    readonly note?: string;
}

/** What the organization's audit found. */
export interface OrganizationAuditResult {
    readonly directory: { readonly id: string; readonly rootFolderId: string; readonly managementAccountId: string };
    /** The organization file the graph was judged with: the live tree, with the config's allow-list and sites. */
    readonly organization: OrganizationFile;
    /** The management account first, then the members, in the order listed. */
    readonly accounts: readonly OrganizationAccountAudit[];
    /** What was read from every account, as the raw resources judged together. */
    readonly resources: readonly AuditResource[];
    readonly verdicts: readonly Verdict[];
    readonly owners: readonly OwnedShare[];
    /** By member account id, in the order of `accounts`. */
    readonly receipts: ReadonlyMap<string, readonly Receipt[]>;
    /** With intended files: the shares no stack declares, and the files' names. */
    readonly undeclared?: { readonly sources: readonly string[]; readonly shares: readonly UndeclaredShare[] };
    readonly removals: readonly RemovalImpact[];
    readonly requests: { readonly total: number; readonly byAction: Readonly<Record<string, number>>; readonly peakConcurrency: number };
    readonly regions: readonly string[];
    readonly notes: readonly string[];
    /** What was not read because an answer was not valid, by account: the audit is incomplete, and exits 2. */
    readonly incomplete: readonly string[];
    readonly durationMs: number;
    readonly timings: { readonly readMs: number; readonly judgeMs: number };
}

/** Runs `fn` on every item, at most `limit` at a time; the results in the items' order. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}

/** The policies that read the snapshots an account received (C10, C11): judged account by account. */
const RECEIVED_SNAPSHOT_POLICIES: readonly string[] = RECEIVED_SNAPSHOT_POLICY_NAMES;

/** Violations once each (a policy's config problem is reported by each account's judging of it). */
function uniqueViolations(violations: readonly JudgedViolation[]): JudgedViolation[] {
    const seen = new Set<string>();
    return violations.filter((v) => {
        const key = `${v.policy}|${v.urn ?? ""}|${v.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
    });
}

/** The policies that take the organization file. */
const ORGANIZATION_POLICIES = packPolicies.filter((p) => "definition" in p && (p as { definition: { settings: readonly string[] } }).definition.settings.includes("organization")).map((p) => p.name);

/**
 * The policy config with the organization file of the policies that take one: the live tree, with the allow-list and
 * sites of the organization the config gives (inline or by file), which the directory cannot tell.
 */
function withOrganization(config: PolicyConfig, tree: Required<Pick<OrganizationFile, "resourceDirectory">>): { config: PolicyConfig; organization: OrganizationFile } {
    let given: OrganizationFile = {};
    for (const name of ORGANIZATION_POLICIES) {
        const own = (config[name] ?? {}) as Record<string, unknown>;
        if (typeof own.organization === "object" && own.organization !== null) {
            given = own.organization as OrganizationFile;
        } else if (typeof own.organizationFile === "string") {
            try {
                given = readOrganizationFile(own.organizationFile) as OrganizationFile;
            } catch (e) {
                throw new AuditSetupError(terminalText((e as Error).message));
            }
        }
    }
    const organization: OrganizationFile = { ...tree, ...(given.allowedRecipients === undefined ? {} : { allowedRecipients: given.allowedRecipients }), ...(given.accountSites === undefined ? {} : { accountSites: given.accountSites }) };
    const out: PolicyConfig = { ...config };
    for (const name of ORGANIZATION_POLICIES) {
        const entry = config[name];
        // A level alone (`"advisory"`) keeps its level, with the organization beside it.
        const own = typeof entry === "string" ? { enforcementLevel: entry } : ((entry ?? {}) as Record<string, unknown>);
        const { organizationFile: _file, ...rest } = own;
        void _file;
        out[name] = { ...rest, organization };
    }
    return { config: out, organization };
}

/** The shares of an account in effect, and its image permissions, as the organization shows them. */
function ownedShares(read: AccountRead): OwnedShare[] {
    const shares: OwnedShare[] = sharesInEffect(read.shares).map((s: LiveShare) => {
        const kinds = [...new Set(s.resources.map((r) => sharedResourceKind(r.type, r.id)).filter((k) => k !== undefined))];
        return {
            ownerAccountId: read.accountId,
            id: s.id,
            name: s.name,
            region: s.region,
            via: "resource share" as const,
            kind: kinds.length === 1 ? kinds[0]! : "resource",
            resources: s.resources.map((r) => ({ id: r.id, type: r.type })),
            targets: s.targets.map((t) => t.id),
        };
    });
    const permissions: OwnedShare[] = read.images
        .filter((i) => i.accounts.length + i.groups.length > 0)
        .map((i) => ({ ownerAccountId: read.accountId, id: i.id, name: i.name ?? i.id, region: i.region, via: "image permission" as const, kind: "image", resources: [{ id: i.id, type: "Image" }], targets: [...i.accounts, ...i.groups] }));
    return [...shares, ...permissions];
}

/** The accounts a target reaches, and how: an account itself, every member of the directory, the members under a folder. */
function recipientsOf(directory: DirectoryRead, folderPaths: ReadonlyMap<string, string>, memberPaths: ReadonlyMap<string, string>): (target: string) => { accountId: string; via: string }[] {
    const cache = new Map<string, { accountId: string; via: string }[]>();
    return (target) => {
        if (isAccountId(target)) {
            return [{ accountId: target, via: "account" }];
        }
        let found = cache.get(target);
        if (found === undefined) {
            if (isResourceDirectoryId(target)) {
                found = target === directory.id ? directory.members.map((m) => ({ accountId: m.id, via: `directory ${target}` })) : [];
            } else if (isFolderId(target) || isRootFolderId(target)) {
                const path = folderPaths.get(target);
                // The folder's members and those of every folder below it.
                found = path === undefined ? [] : [...memberPaths].filter(([, p]) => p === path || p.startsWith(`${path}/`)).map(([accountId]) => ({ accountId, via: `folder ${target}` }));
            } else {
                found = [];
            }
            cache.set(target, found);
        }
        return found;
    };
}

/** Whether a share of an account is declared by one of the stacks: by its id when a file knows it, else by name and region. */
function undeclaredShares(reads: readonly AccountRead[], intended: readonly IntendedState[]): UndeclaredShare[] {
    const byId = new Set(intended.flatMap((i) => i.shares.filter((s) => s.id !== undefined).map((s) => s.id!)));
    const byName = new Map<string, (string | undefined)[]>();
    for (const s of intended.flatMap((i) => i.shares)) {
        byName.set(s.name, [...(byName.get(s.name) ?? []), s.region]);
    }
    const permissions = new Set(intended.flatMap((i) => i.permissions.map((p) => `${p.imageId}|${p.accountId}`)));
    const out: UndeclaredShare[] = [];
    for (const read of reads) {
        for (const s of sharesInEffect(read.shares)) {
            const declared = byId.has(s.id) || (byName.get(s.name) ?? []).some((region) => region === undefined || region === s.region);
            if (!declared) {
                out.push({ accountId: read.accountId, kind: "share", key: `${s.region}/${s.name} (${s.id})` });
            }
        }
        for (const image of read.images) {
            for (const a of [...image.accounts, ...image.groups]) {
                if (!permissions.has(`${image.id}|${a}`)) {
                    out.push({ accountId: read.accountId, kind: "imagePermission", key: `${image.id}: ${a}` });
                }
            }
        }
    }
    return out;
}

/**
 * Audits the organization of the caller's credential (the directory's management account): reads the directory,
 * then the management account and every member (through `accessRole`), judges everything read as one graph, and,
 * for each share in `removing`, reads what its recipients made from it. Throws {@link AuditSetupError} for bad options
 * or files before any request, and the `AlibabaApiError` of the directory's own reading; a member that cannot be read
 * is reported in its entry (`error`), and the others are read and judged.
 */
export async function runOrganizationAudit(options: OrganizationAuditOptions = {}): Promise<OrganizationAuditResult> {
    const started = Date.now();
    const env = options.env ?? process.env;
    const { regions, endpoint, concurrency } = checked(options, env);
    const accountConcurrency = options.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY;
    if (!Number.isInteger(accountConcurrency) || accountConcurrency < 1 || accountConcurrency > 64) {
        throw new AuditSetupError(`the account concurrency is a whole number from 1 to 64, not ${terminalText(accountConcurrency)}`);
    }
    const accessRole = options.accessRole ?? DIRECTORY_ACCESS_ROLE;
    if (!/^[A-Za-z0-9.@-]{1,64}$/.test(accessRole)) {
        throw new AuditSetupError(`not a RAM role name: ${terminalText(accessRole)} (1 to 64 letters, digits, ".", "@" and "-")`);
    }
    const removing = [...new Set(options.removing ?? [])];
    const badRemoval = removing.filter((id) => !/^rs-[A-Za-z0-9]+$/.test(id) && !isImageId(id));
    if (badRemoval.length > 0) {
        throw new AuditSetupError(`--removing takes a resource share id (rs-…) or an image id (m-…, its share permissions), not ${terminalText(badRemoval.join(", "))}`);
    }
    const policyConfig = options.policyConfig ?? (options.policyConfigFile === undefined ? {} : (readJson(options.policyConfigFile, "policy config") as PolicyConfig));
    const intendedDocuments = options.intended ?? (options.intendedFiles ?? []).map((f) => readJson(f, "intended file"));
    let intended: IntendedState[];
    try {
        intended = intendedDocuments.map(readIntended);
    } catch (e) {
        throw new AuditSetupError(terminalText((e as Error).message));
    }
    const home = regions[0] ?? (env.ALIBABA_CLOUD_REGION_ID || DEFAULT_HOME_REGION);
    const settings = apiSettings({ env, region: home, endpoint, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries, retryBaseDelayMs: options.retryBaseDelayMs });
    const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const deadline: Deadline = { at: started + deadlineMs, ms: deadlineMs };
    const ctx = auditContext(settings, concurrency, { maxPages: options.maxPages, deadline, onProgress: options.onProgress });

    const reading = async () => {
        const directory = await readDirectory(ctx);
        const tree = organizationOfDirectory(directory);
        const index = organizationOf(tree);
        const pathOf = (accountId: string) => index.accountFolders.get(accountId) ?? `${directory.id}/${directory.rootFolderId}`;
        const members = directory.members.filter((m) => m.id !== directory.managementAccountId);
        const management = directory.members.find((m) => m.id === directory.managementAccountId);
        const contexts = new Map<string, AuditContext>();
        const readOne = async (accountId: string, name: string | undefined, status: string | undefined, isManagement: boolean): Promise<OrganizationAccountAudit> => {
            const base = { accountId, ...(name === undefined ? {} : { name }), path: pathOf(accountId), management: isManagement };
            if (status !== undefined && !status.endsWith("Success")) {
                return { ...base, error: `not audited: its membership is ${status}, not in effect` };
            }
            try {
                const own = isManagement ? ctx : ctx.withCredential(await assumeRole(ctx, accountId, accessRole, AUDIT_SESSION_NAME));
                const read = await readAccount(own, regions);
                if (read.accountId !== accountId) {
                    return { ...base, error: `the session of ${accessRole} is in account ${read.accountId}, not ${accountId}: not audited` };
                }
                contexts.set(accountId, own);
                return { ...base, read };
            } catch (e) {
                if (e instanceof AlibabaApiError && e.code === "DeadlineExceeded") {
                    throw e;
                }
                return { ...base, error: redact(e instanceof Error ? e.message : String(e)) };
            }
        };
        const accounts = [
            await readOne(directory.managementAccountId, management?.name, undefined, true),
            ...(await pool(members, accountConcurrency, (m) => readOne(m.id, m.name, m.status, false))),
        ];
        return { directory, tree, index, accounts, contexts };
    };
    const { directory, tree, index, accounts, contexts } = await withinDeadline(reading(), ctx, deadline);
    const readAt = Date.now();
    const pathOf = (accountId: string) => index.accountFolders.get(accountId) ?? `${directory.id}/${directory.rootFolderId}`;

    const reads = accounts.flatMap((a) => (a.read === undefined ? [] : [a.read]));
    const views = reads.map(auditView);
    const resources = views.flat();
    const { config, organization } = withOrganization(
        reads.reduce((c, read) => withDirectoryMembers(c, read), policyConfig),
        tree,
    );
    // One graph for every policy; the snapshots an account received are its own fact (the setting is one account's),
    // so the policies that read them judge each account's resources with its own.
    const violations = [
        ...judgeResources(resources, config, packPolicies.filter((p) => !RECEIVED_SNAPSHOT_POLICIES.includes(p.name))),
        ...uniqueViolations(reads.flatMap((read, i) => judgeResources(views[i], withReceivedSnapshots(config, read), packPolicies.filter((p) => RECEIVED_SNAPSHOT_POLICIES.includes(p.name))))),
    ];
    const allRegions = regions.length === 0;
    const { verdicts, unjudgedNotes } = withoutStaleTrust(verdictsOf(violations), allRegions);

    const owners = reads.flatMap(ownedShares);
    const folderPaths = index.folderPaths;
    const memberPaths = new Map(directory.members.map((m) => [m.id, pathOf(m.id)]));
    const reached = recipientsOf(directory, folderPaths, memberPaths);
    const receipts = new Map<string, Receipt[]>(accounts.map((a) => [a.accountId, []]));
    for (const share of owners) {
        // Each recipient once per share, with every way it reaches it (an account named and its folder).
        const ways = new Map<string, string[]>();
        for (const target of share.targets) {
            for (const { accountId, via } of reached(target)) {
                if (accountId !== share.ownerAccountId && receipts.has(accountId)) {
                    const list = ways.get(accountId) ?? [];
                    list.push(share.via === "image permission" ? "image permission" : via);
                    ways.set(accountId, list);
                }
            }
        }
        for (const [accountId, via] of ways) {
            receipts.get(accountId)!.push({ fromAccountId: share.ownerAccountId, shareId: share.id, shareName: share.name, region: share.region, via: [...new Set(via)].join(", "), resources: share.resources });
        }
    }
    // What a member's own reading says it receives from accounts the audit did not read (outside the directory).
    const audited = new Set(reads.map((r) => r.accountId));
    for (const read of reads) {
        const list = receipts.get(read.accountId);
        for (const r of read.received.filter((s) => s.owner === undefined || !audited.has(s.owner))) {
            list?.push({ ...(r.owner === undefined ? {} : { fromAccountId: r.owner }), shareId: r.id, ...(r.name === undefined ? {} : { shareName: r.name }), region: r.region, via: "outside the directory", resources: r.resources.map((x) => ({ id: x.id, type: x.type })) });
        }
    }
    const judgedAt = Date.now();

    const removals: RemovalImpact[] = await withinDeadline(
        Promise.all(
            removing.map(async (id): Promise<RemovalImpact> => {
                const share = owners.find((s) => s.id === id && (id.startsWith("rs-") ? s.via === "resource share" : s.via === "image permission"));
                if (share === undefined) {
                    return { id, recipients: [], note: `${id} is not ${id.startsWith("rs-") ? "a resource share in effect" : "an image with share permissions"} of an account read` };
                }
                const seen = new Map<string, string>();
                for (const target of share.targets) {
                    for (const { accountId, via } of reached(target)) {
                        if (accountId !== share.ownerAccountId && !seen.has(accountId)) {
                            seen.set(accountId, share.via === "image permission" ? "image permission" : via);
                        }
                    }
                }
                const recipients = await Promise.all(
                    [...seen].map(async ([accountId, via]): Promise<RecipientLoss> => {
                        const own = contexts.get(accountId);
                        if (own === undefined) {
                            const reason = memberPaths.has(accountId) ? "its account was not read (see Accounts)" : "outside the directory: its account cannot be read";
                            return { accountId, via, readable: false, reason, disks: [], instances: [] };
                        }
                        const snapshots = share.resources.filter((r) => sharedResourceKind(r.type, r.id) === "snapshot").map((r) => r.id);
                        const images = share.resources.filter((r) => sharedResourceKind(r.type, r.id) === "image").map((r) => r.id);
                        try {
                            const [disks, instances] = await Promise.all([
                                Promise.all(snapshots.map((s) => describeDisksFromSnapshot(own, share.region, s))).then((x) => x.flat()),
                                Promise.all(images.map((m) => describeInstancesOfImage(own, share.region, m))).then((x) => x.flat()),
                            ]);
                            return { accountId, via, readable: true, disks, instances };
                        } catch (e) {
                            if (e instanceof AlibabaApiError && e.code === "DeadlineExceeded") {
                                throw e;
                            }
                            return { accountId, via, readable: false, reason: redact(e instanceof Error ? e.message : String(e)), disks: [], instances: [] };
                        }
                    }),
                );
                return { id, share, recipients };
            }),
        ),
        ctx,
        deadline,
    );
    const removedAt = Date.now();

    const notes = [
        ...accounts.flatMap((a) => (a.read?.notes ?? []).map((n) => `${a.accountId}: ${n}`)),
        ...(allRegions ? [] : [`Only the regions given were read (${regions.join(", ")}): trust only shares of other regions could need is not judged.`]),
        ...unjudgedNotes,
    ];
    const incomplete = [...directory.incomplete, ...accounts.flatMap((a) => (a.read?.incomplete ?? []).map((n) => `${a.accountId}: ${n}`))];
    return {
        directory: { id: directory.id, rootFolderId: directory.rootFolderId, managementAccountId: directory.managementAccountId },
        organization,
        accounts,
        resources,
        verdicts,
        owners,
        receipts,
        ...(intended.length === 0 ? {} : { undeclared: { sources: (options.intendedFiles ?? []).map((f) => f.split(/[\\/]/).pop()!), shares: undeclaredShares(reads, intended) } }),
        removals,
        requests: { total: ctx.log.total, byAction: ctx.log.byAction(), peakConcurrency: ctx.limiter.peak },
        regions: [...new Set(reads.flatMap((r) => r.regions))].sort(),
        notes,
        incomplete,
        durationMs: Date.now() - started,
        timings: { readMs: readAt - started + (removedAt - judgedAt), judgeMs: judgedAt - readAt },
    };
}

/**
 * 1 with a mandatory violation; else 2 when an account could not be read or an answer could not be used (the
 * organization cannot be said to be clean); else 0.
 */
export const organizationExitCode = (result: OrganizationAuditResult): number =>
    result.verdicts.some((v) => v.level === "mandatory") ? 1 : result.incomplete.length > 0 || result.accounts.some((a) => a.error !== undefined) ? 2 : 0;
