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
import type { UndeclaredShare, Verdict } from "../report/model";
import { terminalText } from "../report/safe";
import { AlibabaApiError, redact } from "../sdk/errors";
import { apiSettings } from "../sdk/settings";
import { AuditContext, Deadline, auditContext } from "./clients";
import { DirectoryRead, organizationOfDirectory, readDirectory, withFix } from "./directory";
import { IntendedState, readIntended } from "./drift";
import { LiveDisk, LiveInstance, describeDisksFromSnapshot, describeInstancesOfImage } from "./ecs";
import { JudgedViolation, PolicyConfig, judgeResources } from "./judge";
import { AccountRead, LiveShare, NotInEffect, notInEffect, sharesInEffect } from "./model";
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
    /**
     * `account`, `directory <rd-…>`, `folder <fd-…>`, `image permission`; or, read in the member from an owner the
     * audit did not read: `outside the directory` (an owner the directory, read whole, does not hold), `a member not
     * read` (its owner is a member whose account could not be read), `not among the members read` (the directory was
     * not read whole), `owner not named`.
     */
    readonly via: string;
    readonly resources: readonly { readonly id: string; readonly type: string }[];
}

/** A share of an account that no stack declares (the report model's type). */
export type { UndeclaredShare };

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
    /**
     * Why nothing could be said, when the share was not found (and whether that may be because a region or an account
     * was not read); or, when it was, what of its recipients is not known (a target the directory read does not hold).
     */
    readonly note?: string;
}

/** Something of an account's share that is not in effect (a share being deleted, a failed or leaving association). */
export interface OrganizationNotInEffect extends NotInEffect {
    readonly accountId: string;
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
    /** One per share found of each id asked (a share id listed by two accounts is two), or one saying it was not found. */
    readonly removals: readonly RemovalImpact[];
    /** What the accounts' shares hold that is not in effect: shown, not judged (as the single audit shows it). */
    readonly notInEffect: readonly OrganizationNotInEffect[];
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

/**
 * Whether a share of an account is declared by one of the stacks: by its id when a file knows it, else by name and
 * region, by a stack of that account (a stack whose file names no owner may be any account's).
 */
function undeclaredShares(reads: readonly AccountRead[], intended: readonly IntendedState[]): UndeclaredShare[] {
    const byId = new Set(intended.flatMap((i) => i.shares.filter((s) => s.id !== undefined).map((s) => s.id!)));
    const byName = new Map<string, { region?: string; owner?: string }[]>();
    for (const i of intended) {
        for (const s of i.shares) {
            byName.set(s.name, [...(byName.get(s.name) ?? []), { region: s.region, owner: i.owner }]);
        }
    }
    const permissions = new Set(intended.flatMap((i) => i.permissions.map((p) => `${p.imageId}|${p.accountId}`)));
    const out: UndeclaredShare[] = [];
    for (const read of reads) {
        for (const s of sharesInEffect(read.shares)) {
            const declared = byId.has(s.id) || (byName.get(s.name) ?? []).some((d) => (d.region === undefined || d.region === s.region) && (d.owner === undefined || d.owner === read.accountId));
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
 * A member's error as it concerns the session the audit made (STS AssumeRole into `role`), not the environment's
 * credential: an error whose fix would send the user to ALIBABA_CLOUD_* variables (an expired or refused token, key
 * or signature) gets a fix about the session instead. Other errors pass unchanged.
 */
export function ofMemberSession(error: unknown, accountId: string, role: string): unknown {
    if (!(error instanceof AlibabaApiError) || !(/ALIBABA_CLOUD_/.test(error.fix) || error.code.startsWith("InvalidSecurityToken"))) {
        return error;
    }
    return new AlibabaApiError({
        action: error.action,
        resource: `${error.resource} (a session of ${role} in ${accountId})`,
        code: error.code,
        detail: error.detail,
        fix:
            `The temporary credentials of the audit's session in ${accountId} (STS AssumeRole into ${role}, made by the audit itself, not taken from the environment) were refused: ` +
            "run the audit again (each run assumes the role anew; a session lasts an hour); if it keeps happening, check this machine's clock and the role in that account.",
        retryable: false,
        ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
        ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
    });
}

/**
 * A member's AssumeRole error with what to do about it: a role that does not exist is created (the directory makes it
 * only in the accounts it creates) or another is named; a role refused is checked. Other errors pass unchanged.
 */
export function ofAssumeRole(error: unknown, accountId: string, role: string): unknown {
    if (!(error instanceof AlibabaApiError) || error.action !== "AssumeRole") {
        return error;
    }
    if (/^EntityNotExist(s)?\.Role/.test(error.code)) {
        return withFix(
            error,
            `Create the role ${role} in ${accountId}, trusting the management account (the directory makes it only in the accounts it creates, not in those invited), ` +
                "or name another role the management account may assume there with --access-role.",
        );
    }
    if (/^(NoPermission|Forbidden|AccessDenied)/.test(error.code) || error.fix === "See the API's message above.") {
        return withFix(error, `Check that the role ${role} in ${accountId} trusts the management account and that the caller may assume it (sts:AssumeRole), or name another role with --access-role.`);
    }
    return error;
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

    // The directory first: without it there is no organization to audit (its failure, the deadline's included, is the audit's).
    const directory = await withinDeadline(readDirectory(ctx), ctx, deadline);
    const tree = organizationOfDirectory(directory);
    const index = organizationOf(tree);
    const rootPath = `${directory.id}/${directory.rootFolderId}`;
    const pathOf = (accountId: string) => index.accountFolders.get(accountId) ?? rootPath;
    const memberIds = new Set(directory.members.map((m) => m.id));
    /** Whether the directory was read whole: then an account it does not hold is not a member, whatever an answer says. */
    const directoryWhole = directory.incomplete.length === 0;
    const members = directory.members.filter((m) => m.id !== directory.managementAccountId);
    const management = directory.members.find((m) => m.id === directory.managementAccountId);
    const contexts = new Map<string, AuditContext>();
    // Each account within the deadline on its own: one that does not answer in time is reported as not read (its
    // error names the deadline), and what the others read is judged and reported.
    const readOne = async (accountId: string, name: string | undefined, status: string | undefined, isManagement: boolean): Promise<OrganizationAccountAudit> => {
        const base = { accountId, ...(name === undefined ? {} : { name }), path: pathOf(accountId), management: isManagement };
        if (status !== undefined && !status.endsWith("Success")) {
            return { ...base, error: `not audited: its membership is ${status}, not in effect` };
        }
        /** The member's session, once AssumeRole gave it: the errors after it are the session's, not the environment's credentials'. */
        let session: AuditContext | undefined;
        try {
            const { own, read } = await withinDeadline(
                (async () => {
                    const own = isManagement ? ctx : ctx.withCredential(await assumeRole(ctx, accountId, accessRole, AUDIT_SESSION_NAME));
                    session = isManagement ? undefined : own;
                    return { own, read: await readAccount(own, regions) };
                })(),
                ctx,
                deadline,
            );
            if (read.accountId !== accountId) {
                return { ...base, error: `the session of ${accessRole} is in account ${read.accountId}, not ${accountId}: not audited` };
            }
            contexts.set(accountId, own);
            return { ...base, read };
        } catch (e) {
            const shown = session === undefined ? ofAssumeRole(e, accountId, accessRole) : ofMemberSession(e, accountId, accessRole);
            return { ...base, error: redact(shown instanceof Error ? shown.message : String(shown)) };
        }
    };
    const accounts = [
        await readOne(directory.managementAccountId, management?.name, undefined, true),
        ...(await pool(members, accountConcurrency, (m) => readOne(m.id, m.name, m.status, false))),
    ];
    const readAt = Date.now();

    const reads = accounts.flatMap((a) => (a.read === undefined ? [] : [a.read]));
    // The API's External: false for an account the directory, read whole, does not hold: a contradiction, reported,
    // and that account judged as what the directory says it is (outside).
    const contradictions = directoryWhole
        ? reads.flatMap((read) =>
              sharesInEffect(read.shares).flatMap((s) =>
                  s.targets
                      .filter((t) => t.external === false && isAccountId(t.id) && !memberIds.has(t.id))
                      .map(
                          (t) =>
                              `${read.accountId}: the share ${s.id} (${s.region}) targets ${t.id}, which the API calls a member of the directory (External: false), ` +
                              `but resource directory ${directory.id}, read whole, does not hold it: judged as an account outside the directory.`,
                      ),
              ),
          )
        : [];
    const isMember = directoryWhole ? (accountId: string) => memberIds.has(accountId) : () => true;
    const views = reads.map(auditView);
    const resources = views.flat();
    const { config, organization } = withOrganization(
        reads.reduce((c, read) => withDirectoryMembers(c, read, isMember), policyConfig),
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
    // What a member's own reading says it receives from accounts the audit did not read: from outside the directory,
    // or from a member whose account could not be read (never called outside then).
    const audited = new Set(reads.map((r) => r.accountId));
    const unreadOwner = (owner: string | undefined): string =>
        owner === undefined ? "owner not named" : memberIds.has(owner) ? "a member not read" : directoryWhole ? "outside the directory" : "not among the members read";
    for (const read of reads) {
        const list = receipts.get(read.accountId);
        for (const r of read.received.filter((s) => s.owner === undefined || !audited.has(s.owner))) {
            list?.push({ ...(r.owner === undefined ? {} : { fromAccountId: r.owner }), shareId: r.id, ...(r.name === undefined ? {} : { shareName: r.name }), region: r.region, via: unreadOwner(r.owner), resources: r.resources.map((x) => ({ id: x.id, type: x.type })) });
        }
    }
    const judgedAt = Date.now();

    const failedAccounts = accounts.filter((a) => a.error !== undefined).length;
    /** What a target the directory does not hold is (a folder or directory it does not know), else undefined. */
    const unknownTarget = (target: string): string | undefined =>
        isResourceDirectoryId(target)
            ? target === directory.id
                ? undefined
                : `the resource directory ${target}, not ${directory.id}`
            : isFolderId(target) || isRootFolderId(target)
              ? folderPaths.has(target)
                  ? undefined
                  : `the folder ${target}, which the directory read does not hold`
              : isAccountId(target)
                ? undefined
                : `${target}, which is not an account, folder or directory id`;
    const removals: RemovalImpact[] = (
        await Promise.all(
            removing.map(async (id): Promise<RemovalImpact[]> => {
                const kind = id.startsWith("rs-") ? "resource share" : "image permission";
                // Every account's share of that id: ids are unique in Alibaba Cloud, but what is read is shown as read.
                const shares = owners.filter((s) => s.id === id && s.via === kind);
                if (shares.length === 0) {
                    const where = [
                        ...(allRegions ? [] : [`only the regions given were read (${regions.join(", ")}): it may be in another region (give its region too, or every region)`]),
                        ...(failedAccounts === 0 ? [] : [`${failedAccounts} ${failedAccounts === 1 ? "account was" : "accounts were"} not read: it may be one of theirs`]),
                    ];
                    const what = kind === "resource share" ? "a resource share in effect" : "an image with share permissions";
                    return [{ id, recipients: [], note: `${id} is not ${what} of an account read${where.length === 0 ? "" : `; ${where.join("; ")}`}` }];
                }
                return Promise.all(shares.map((share) => removalOf(id, share)));
            }),
        )
    ).flat();
    async function removalOf(id: string, share: OwnedShare): Promise<RemovalImpact> {
        const seen = new Map<string, string>();
        const unknown: string[] = [];
        for (const target of share.targets) {
            const found = reached(target);
            const what = found.length === 0 ? unknownTarget(target) : undefined;
            if (what !== undefined) {
                unknown.push(what);
            }
            for (const { accountId, via } of found) {
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
                    // Each recipient within the deadline on its own: one that does not answer in time is not known, the others are.
                    const [disks, instances] = await withinDeadline(
                        Promise.all([
                            Promise.all(snapshots.map((s) => describeDisksFromSnapshot(own, share.region, s))).then((x) => x.flat()),
                            Promise.all(images.map((m) => describeInstancesOfImage(own, share.region, m))).then((x) => x.flat()),
                        ]),
                        ctx,
                        deadline,
                    );
                    return { accountId, via, readable: true, disks, instances };
                } catch (e) {
                    return { accountId, via, readable: false, reason: redact(e instanceof Error ? e.message : String(e)), disks: [], instances: [] };
                }
            }),
        );
        const note = unknown.length === 0 ? undefined : `it targets ${unknown.join("; ")}: who ${unknown.length === 1 ? "that reaches" : "those reach"} is not known`;
        return { id, share, recipients, ...(note === undefined ? {} : { note }) };
    }
    const removedAt = Date.now();

    const notes = [
        ...accounts.flatMap((a) => (a.read?.notes ?? []).map((n) => `${a.accountId}: ${n}`)),
        ...(allRegions ? [] : [`Only the regions given were read (${regions.join(", ")}): trust only shares of other regions could need is not judged.`]),
        ...unjudgedNotes,
    ];
    const incomplete = [...directory.incomplete, ...accounts.flatMap((a) => (a.read?.incomplete ?? []).map((n) => `${a.accountId}: ${n}`)), ...contradictions];
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
        notInEffect: reads.flatMap((read) => notInEffect(read.shares).map((n) => ({ accountId: read.accountId, ...n }))),
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
