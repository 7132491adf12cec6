/**
 * The report model: what a preview or an audit found, as plain data every format renders from (text, JSON, SARIF,
 * Mermaid, HTML). The plan (resources), the verdicts (one finding type, with where it was judged and at which level),
 * the sharing graph as a view (owners, snapshots and images with their encryption, key and region, shares with their
 * roles and keys, recipients grouped by the directory and folders of the organization file), the per-recipient view
 * (what each account, folder or directory can use, through which share, with which key), the drift (audit) and what
 * was read (audit). Nothing here is escaped: each renderer makes values safe for its medium.
 */
import { KmsArn, parseKmsArn } from "../alibaba/arn";
import { isAccountId, isFolderId, isResourceDirectoryId, isRootFolderId, parseFolderPath } from "../alibaba/ids";
import { KMS_KEY_ACTIONS, ResourceKind } from "../alibaba/names";
import type { Drift, DriftKind } from "../audit/drift";
import { accountIdOf } from "../graph/accounts";
import type { AccountKey, ItemKind, Origin, SharingGraph } from "../graph/model";
import { Organization, OrganizationFile, OrganizationFolder, recipientPath } from "../graph/organization";
import type { LevelChange } from "../policy/config";
import { Reach, Relations, ResolvedEncryption, ShareEncryption, rolesOfShare } from "../graph/resolve";
import { analyzePermissionPolicy } from "../ram/analyze";
import type { Finding } from "../rules/types";

/** What shows a value unknown at preview (a computed output, an id) in a report. */
export const UNKNOWN_MARK = "[unknown]";

/** Recipients drawn one by one in a group (a folder, the directory, the accounts outside it); beyond, one node says how many. */
export const RECIPIENTS_DRAWN_PER_GROUP = 8;

/** Where a verdict was judged: a component at construction, the policy pack, or the audit of a live account. */
export type JudgedBy = "component" | "pack" | "audit";

/** The level of a verdict: mandatory stops the deployment (or fails the audit), advisory is said. */
export type Level = "mandatory" | "advisory";

/** Where in the program a resource was constructed: a file relative to the program's folder, a line and a column (from 1). */
export interface SourcePosition {
    /** Relative to the program's folder, `/`-separated. */
    readonly file: string;
    readonly line: number;
    readonly column: number;
}

/** One verdict, from the rule to the last renderer. */
export interface Verdict {
    /** The rule's id, when a rule of the registry found it. */
    readonly rule?: string;
    /** The policy of the pack that reported it (`component` for a component's refusal). */
    readonly policy?: string;
    readonly constraints: readonly string[];
    readonly level: Level;
    /** What is wrong, naming the offending value (the fix apart). */
    readonly message: string;
    /** What to do instead. */
    readonly fix?: string;
    /** The argument or property at fault. */
    readonly path?: string;
    /** The URN of what was judged (a component, a resource, a live object), when known. */
    readonly urn?: string;
    /** Its name. */
    readonly name?: string;
    /** Its type token. */
    readonly type?: string;
    /** The account it lives in, when an audit read it there. */
    readonly accountId?: string;
    /** Where the program constructed it (a preview's), when known. */
    readonly source?: SourcePosition;
    /** The nodes of the graph view it concerns (by the rule's subject, else by the subject's URN). */
    readonly nodes: readonly string[];
    readonly judgedBy: JudgedBy;
}

/** How a verdict was reached: its level, where, by which policy, and the graph nodes its subject was derived from. */
export interface VerdictContext {
    readonly level: Level;
    readonly judgedBy: JudgedBy;
    readonly policy?: string;
    /** The URN reported on, when the finding does not name its subject. */
    readonly urn?: string;
    /** The graph nodes of the rule's subject (`RuleSubject.nodes`), when known. */
    readonly nodes?: readonly string[];
}

/** A rule's finding as a verdict. */
export function verdictOf(finding: Finding, context: VerdictContext): Verdict {
    const urn = finding.subject?.urn ?? context.urn;
    return {
        rule: finding.ruleId,
        ...(context.policy === undefined ? {} : { policy: context.policy }),
        constraints: [...finding.constraints],
        level: context.level,
        message: finding.message,
        fix: finding.fix,
        path: finding.path,
        ...(urn === undefined ? {} : { urn }),
        ...(finding.subject === undefined ? {} : { name: finding.subject.name, type: finding.subject.type }),
        nodes: [...(context.nodes ?? [])],
        judgedBy: context.judgedBy,
    };
}

/** A policy's own violation that no rule's finding carries (a message as the policy wrote it). */
export function verdictOfMessage(policy: string, message: string, context: VerdictContext): Verdict {
    return { policy, constraints: [], level: context.level, message, ...(context.urn === undefined ? {} : { urn: context.urn }), nodes: [...(context.nodes ?? [])], judgedBy: context.judgedBy };
}

/** A policy's violation as the policy runner reports it (src/policy/run.ts, src/audit/judge.ts). */
export interface JudgedViolationLike {
    readonly policy: string;
    readonly message: string;
    readonly urn?: string;
    readonly enforcementLevel: string;
    readonly finding?: Finding;
}

/** The level of a pack's enforcement level: mandatory and remediate stop, anything else is said. */
export const levelOf = (enforcementLevel: string): Level => (enforcementLevel === "mandatory" || enforcementLevel === "remediate" ? "mandatory" : "advisory");

/**
 * A policy's violation as a verdict (the one conversion, for the preview and the audit): from its finding when it
 * carries one, else its message as the policy wrote it.
 */
export function verdictOfViolation(v: JudgedViolationLike, judgedBy: JudgedBy): Verdict {
    const context: VerdictContext = { level: levelOf(v.enforcementLevel), judgedBy, policy: v.policy, urn: v.urn };
    return v.finding !== undefined ? verdictOf(v.finding, context) : verdictOfMessage(v.policy, v.message, context);
}

/** A verdict in the one-line form of a finding, for tools that show one message: `[ids] what is wrong. The fix. (rule id)`. */
export function verdictLine(v: Pick<Verdict, "constraints" | "message" | "fix" | "rule">): string {
    return [v.constraints.length === 0 ? undefined : `[${v.constraints.join(", ")}]`, v.message, v.fix, v.rule === undefined ? undefined : `(rule ${v.rule})`]
        .filter((p) => p !== undefined && p !== "")
        .join(" ");
}

/** One resource of the plan (the preview's captured resources, the audit's live objects as resources). */
export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The parent's URN, when it has one. */
    readonly parent?: string;
    /** The provider it is made with (its name), for cloud resources. */
    readonly provider?: string;
    readonly protect?: boolean;
    /** Where the program constructed it (a preview's), when known. */
    readonly source?: SourcePosition;
    /** False for a component. Defaults to true. */
    readonly custom?: boolean;
    /** The region it is in (its provider's), when known. */
    readonly region?: string;
    readonly inputs?: Readonly<Record<string, unknown>>;
    /** The URNs it depends on. */
    readonly dependencies?: readonly string[];
    /** For each input, the URNs of the resources its value came from. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** An account that owns what is shared: `account:<id>` or the stack's own (`default`). */
export interface OwnerView {
    readonly id: string;
    readonly account: AccountKey;
    readonly accountId?: string;
}

/** A KMS key behind what is shared, or granted to a share role. */
export interface KeyView {
    readonly id: string;
    readonly keyId?: string;
    readonly region?: string;
    /** The owner view. */
    readonly owner: string;
    readonly deletionProtection?: string;
    readonly status?: string;
    readonly urns: readonly string[];
}

/**
 * Where a customer key is known from when nothing about the item itself says it (a snapshot or image made outside the
 * stack, known by its id alone):
 * - `share`: a share of it declares its items encrypted with a customer key (it waits for its share role, or carries
 *   the encryption tag); which key is not known;
 * - `shareRole`: so declared, and the share's role is granted exactly one key in the share's region: that key.
 */
export type KeyFrom = "share" | "shareRole";

/** A shared snapshot or image, with its encryption resolved through what it was made from. */
export interface ItemView {
    readonly id: string;
    readonly kind: ItemKind;
    readonly resourceId?: string;
    /** The resource's name (the resource of the stack that makes it, its `snapshotName` / `imageName` when read). */
    readonly name?: string;
    readonly region?: string;
    readonly owner: string;
    readonly encryption: ResolvedEncryption["kind"];
    /** The key view, when encrypted with a known key. */
    readonly key?: string;
    /** Where its customer key is known from, when not from the item itself (or what it was made from): see {@link KeyFrom}. */
    readonly keyFrom?: KeyFrom;
    /** Shared with its owner by another account. */
    readonly received: boolean;
    readonly urns: readonly string[];
}

/** A grant of items to recipients: a resource share, or the image permissions of one image. */
export interface ShareView {
    readonly id: string;
    /** Its name (`resourceShareName`), else the name of the resource that makes it. */
    readonly name: string;
    readonly kind?: ResourceKind;
    readonly method: "resourceShare" | "imagePermission";
    readonly owner: string;
    readonly region?: string;
    readonly encryption: ShareEncryption["kind"];
    /** The key views of its items; else, for a share that declares its items encrypted, its role's only key in its region. */
    readonly keys: readonly string[];
    /** `shareRole` when its key is its role's only key in its region (its items say none). */
    readonly keyFrom?: "shareRole";
    /** The item views, in the share's order. */
    readonly items: readonly string[];
    /** The recipient views (each once): directories, folders, then accounts by id. */
    readonly recipients: readonly string[];
    /** The share roles it uses (encrypted shares). */
    readonly roles: readonly string[];
    /** The URNs of the resources that make it (the share, its items, its targets). */
    readonly urns: readonly string[];
}

/** A share role. */
export interface RoleView {
    readonly id: string;
    readonly name?: string;
    readonly kind?: ResourceKind;
    readonly owner: string;
    /** Made outside the stack (known by its name only). */
    readonly declared: boolean;
    /** The key views its attached custom policies grant. */
    readonly keys: readonly string[];
    readonly urns: readonly string[];
}

/** What a recipient value is. */
export type RecipientKind = "account" | "directory" | "rootFolder" | "folder" | "unknown";

/** A recipient named by a share. */
export interface RecipientView {
    readonly id: string;
    /** As the share names it: an account id, `rd-…`, `fd-…`, a folder path. */
    readonly value: string;
    readonly kind: RecipientKind;
    /** Its name in the organization file. */
    readonly name?: string;
    /** The group it is drawn in. */
    readonly group: string;
    /** Its place in the directory, when known: the folder path of a folder, the directory id of a directory. */
    readonly path?: string;
}

/** A box recipients are drawn in: the directory, a folder, or the accounts outside the directory. */
export interface GroupView {
    readonly id: string;
    readonly kind: "directory" | "rootFolder" | "folder" | "outside";
    /** `rd-…`, `r-…`, `fd-…`; empty for `outside`. */
    readonly value: string;
    readonly name?: string;
    /** `rd-…/r-…/fd-…` (the directory's id alone for the directory). */
    readonly path: string;
    readonly parent?: string;
}

/** The sharing graph, as the report draws it. Every list in a stable order. */
export interface GraphView {
    readonly owners: readonly OwnerView[];
    readonly keys: readonly KeyView[];
    readonly items: readonly ItemView[];
    readonly shares: readonly ShareView[];
    readonly roles: readonly RoleView[];
    readonly recipients: readonly RecipientView[];
    /** By path, the box of recipients outside the tree last (see {@link groupsDepthFirst} for the tree's order). */
    readonly groups: readonly GroupView[];
}

/** One thing a recipient can use, and how. */
export interface Grant {
    /** The share view. */
    readonly share: string;
    /** The item view. */
    readonly item: string;
    readonly kind: ResourceKind;
    readonly resourceId?: string;
    /** The region it is shared in. */
    readonly region?: string;
    readonly encryption: ResolvedEncryption["kind"];
    /** The key view and its id, when encrypted with a known key. */
    readonly key?: string;
    readonly keyId?: string;
    /** Where the key is known from, when not from the item itself (see {@link KeyFrom}). */
    readonly keyFrom?: KeyFrom;
    /** The recipient the share names that reaches this one: itself, or its folder or directory. */
    readonly through: string;
    /**
     * Since when `through` is known to hold it (`YYYY-MM-DDTHH:MM:SSZ`, UTC): for an audit, the later of the times the
     * recipient and the item were put on the share (the associations' `CreateTime`), or when the image's share
     * permission was made (`SharedTime`), as the API answers them. A preview has no such fact; an answer without a
     * well-formed time gives none.
     */
    readonly since?: string;
}

/** What one account, folder or directory can use. */
export interface RecipientAccess {
    readonly value: string;
    readonly kind: RecipientKind;
    readonly name?: string;
    /** Where it sits in the directory (the folder path of an account's folder), when known. */
    readonly place?: string;
    readonly grants: readonly Grant[];
}

/** One drift entry, with the graph nodes it concerns (none for what the account lacks). */
export interface DriftMark {
    readonly side: "outsideStack" | "missingFromAccount";
    readonly kind: DriftKind;
    readonly key: string;
    readonly detail?: string;
    /** The nodes the entry is about as a whole: a share, an item, a recipient, a role (a trusted principal: the recipient it is, if any). */
    readonly nodes: readonly string[];
    /** A principal a share role trusts that the stack's role does not: the role nodes and the principal (the drift is their trust, not the role). */
    readonly trust?: { readonly roles: readonly string[]; readonly principal: string };
}

/** The drift of an account from its stack, overlaid on the graph. */
export interface DriftView {
    readonly format: Drift["format"];
    /** The intended file's name, as given. */
    readonly source?: string;
    readonly entries: readonly DriftMark[];
    readonly notCompared: readonly string[];
}

/** A share of an account that no stack declares (an organization's audit given intended files). */
export interface UndeclaredShare {
    readonly accountId: string;
    readonly kind: "share" | "imagePermission";
    /** `region/name (rs-…)`, or `m-…: <account>` for an image's permission. */
    readonly key: string;
}

/** A share no stack declares, with the graph nodes it names. */
export interface UndeclaredMark extends UndeclaredShare {
    /** The share (a resource share by owner, region and name; an image's permissions by owner and image) and, for a grant, its recipient. */
    readonly nodes: readonly string[];
}

/** The shares of the accounts read that no stack given declares, and the names of the files given. */
export interface UndeclaredView {
    readonly sources: readonly string[];
    readonly shares: readonly UndeclaredMark[];
}

/**
 * What removing a share would take from its recipients (C15), as an organization's audit found it (`--removing`): the
 * share asked (`rs-…`, or an image's permissions by `m-…`), when found; each recipient with what it made from it
 * (disks from its snapshots, instances of its images), or why that is not known; or why nothing could be said.
 */
export interface RemovalView {
    readonly id: string;
    readonly share?: {
        readonly id: string;
        readonly name: string;
        readonly ownerAccountId: string;
        readonly region: string;
        readonly via: "resource share" | "image permission";
        readonly resources: readonly { readonly id: string }[];
    };
    readonly recipients: readonly {
        readonly accountId: string;
        readonly via: string;
        readonly readable: boolean;
        readonly reason?: string;
        readonly disks: readonly { readonly id: string; readonly snapshotId: string; readonly instanceId?: string }[];
        readonly instances: readonly { readonly id: string; readonly name?: string; readonly imageId: string }[];
    }[];
    readonly note?: string;
}

/** What an audit read, for people. */
export interface ReadsView {
    readonly accounts: readonly string[];
    readonly regions: readonly string[];
    /** Requests sent, when counted. */
    readonly requests?: number;
    /** How many of each thing was read (`resource shares`: 3…), in the order given. */
    readonly counts: readonly { readonly what: string; readonly count: number }[];
    /** Shares other accounts share with the audited one, one line each. */
    readonly received: readonly string[];
    /** What shares hold that is not in effect, one line each. */
    readonly notInEffect: readonly string[];
    readonly notes: readonly string[];
    /** What could not be read: the report is incomplete. */
    readonly incomplete: readonly string[];
    /** In an organization's audit: how many accounts could not be read (the first entries of `incomplete`; the others are answers not usable). */
    readonly accountsNotRead?: number;
}

/** A policy the policy config sets to another level than its own (a disabled policy judges nothing): said in every format. */
export type { LevelChange };

/** Where a preview's program is, for locations in reports (SARIF): absolute folders, the entry file relative to the program's. */
export interface ProgramFiles {
    /** The folder locations are relative to (SARIF's `%SRCROOT%`): where the command ran. */
    readonly root: string;
    /** The program's folder. */
    readonly programDir: string;
    /** The program's entry file, relative to its folder: where a verdict with no position of its own is located. */
    readonly entry: string;
}

/** Why a run judged nothing, or less than everything: its kind (`program`, `setup`, `timeout`…) and what happened. */
export interface RunFailure {
    readonly kind: string;
    readonly message: string;
}

/** The whole report. */
export interface ReportModel {
    readonly tool: "preview" | "audit";
    /** One line: what was previewed or audited. */
    readonly title: string;
    readonly accounts: readonly string[];
    readonly regions: readonly string[];
    /**
     * The run's own facts for tools, as data, first in the JSON document (a preview's project, stack, account and
     * region; an audit's account, regions, requests, what it received…). Never rendered for people: `title` and
     * `reads` say it for them.
     */
    readonly facts: Readonly<Record<string, unknown>>;
    readonly plan: readonly PlanResource[];
    readonly verdicts: readonly Verdict[];
    readonly levelChanges: readonly LevelChange[];
    readonly graph: GraphView;
    /** Per recipient: what it can use. */
    readonly access: readonly RecipientAccess[];
    readonly drift?: DriftView;
    /** An organization's audit given intended files: the shares no stack declares (marked on the graph as drift). */
    readonly undeclared?: UndeclaredView;
    /** An organization's audit asked what removing shares would take (`--removing`): one per share asked. */
    readonly removals?: readonly RemovalView[];
    readonly reads?: ReadsView;
    /** The program's files (a preview's): SARIF locates verdicts in them. */
    readonly files?: ProgramFiles;
    /** What kept the run from finishing (a preview's program error): the verdicts are those it reached. */
    readonly failure?: RunFailure;
}

/** A raw resource the graph was read from: its URN, its props, and since when what it makes exists, when known (see {@link Grant.since}). */
export interface ReportResource {
    readonly urn: string;
    readonly props: Readonly<Record<string, unknown>>;
    readonly since?: string;
}

/** What the report model is built from. */
export interface ReportInput {
    readonly tool: ReportModel["tool"];
    readonly title: string;
    readonly accounts?: readonly string[];
    readonly regions?: readonly string[];
    readonly facts?: Readonly<Record<string, unknown>>;
    readonly plan?: readonly PlanResource[];
    readonly verdicts?: readonly Verdict[];
    readonly levelChanges?: readonly LevelChange[];
    readonly graph: SharingGraph;
    readonly organization?: Organization;
    /** Names of folders and accounts (see {@link organizationNames}). */
    readonly names?: ReadonlyMap<string, string>;
    /** The raw resources the graph was read from, for the names they give (`resourceShareName`, `snapshotName`…). */
    readonly resources?: readonly ReportResource[];
    readonly drift?: Drift;
    /** The name of the file the drift is from. */
    readonly driftSource?: string;
    readonly undeclared?: { readonly sources: readonly string[]; readonly shares: readonly UndeclaredShare[] };
    readonly removals?: readonly RemovalView[];
    readonly reads?: ReadsView;
    readonly files?: ProgramFiles;
    readonly failure?: RunFailure;
}

/** Builds the report model: the graph's relations computed once, for the graph view and the per-recipient view. */
export function reportModel(input: ReportInput): ReportModel {
    const relations = new Relations(input.graph);
    const options = { organization: input.organization, names: input.names, resources: input.resources };
    const graph = graphView(relations, options);
    return {
        tool: input.tool,
        title: input.title,
        accounts: [...(input.accounts ?? [])],
        regions: [...(input.regions ?? [])],
        facts: { ...(input.facts ?? {}) },
        plan: [...(input.plan ?? [])],
        verdicts: withNodes(input.verdicts ?? [], graph),
        levelChanges: [...(input.levelChanges ?? [])],
        graph,
        access: recipientAccess(relations, graph, options),
        ...(input.drift === undefined ? {} : { drift: driftView(input.drift, graph, input.driftSource) }),
        ...(input.undeclared === undefined ? {} : { undeclared: undeclaredView(input.undeclared, graph) }),
        ...(input.removals === undefined ? {} : { removals: [...input.removals] }),
        ...(input.reads === undefined ? {} : { reads: input.reads }),
        ...(input.files === undefined ? {} : { files: input.files }),
        ...(input.failure === undefined ? {} : { failure: input.failure }),
    };
}

/** What the graph view reads besides the graph. */
export interface GraphViewOptions {
    readonly organization?: Organization;
    readonly names?: ReadonlyMap<string, string>;
    readonly resources?: ReportInput["resources"];
}

/** The names the organization file gives its folders and accounts, by id. */
export function organizationNames(file: OrganizationFile): Map<string, string> {
    const names = new Map<string, string>();
    const rd = file.resourceDirectory;
    if (rd === undefined) {
        return names;
    }
    const accounts = (list: OrganizationFolder["accounts"]) => (list ?? []).forEach((a) => a.name !== undefined && names.set(a.id, a.name));
    accounts(rd.accounts);
    // Iteratively: a tree of any depth.
    const queue: OrganizationFolder[] = [...(rd.folders ?? [])];
    for (let next = 0; next < queue.length; next++) {
        const f = queue[next];
        if (f.name !== undefined) {
            names.set(f.id, f.name);
        }
        accounts(f.accounts);
        queue.push(...(f.folders ?? []));
    }
    return names;
}

/** What a recipient value is. */
export function recipientKind(value: string): RecipientKind {
    if (isAccountId(value)) {
        return "account";
    }
    if (isResourceDirectoryId(value)) {
        return "directory";
    }
    if (isRootFolderId(value)) {
        return "rootFolder";
    }
    const path = parseFolderPath(value);
    if (isFolderId(value) || (path !== undefined && path.folderIds.length > 0)) {
        return "folder";
    }
    return path !== undefined ? "rootFolder" : "unknown";
}

/**
 * Where a recipient sits in the directory, as a path: an account's folder (from the tree), a folder's own full path, a
 * directory's id; undefined when nothing places it.
 */
function placeOf(value: string, kind: RecipientKind, organization: Organization | undefined): string | undefined {
    if (kind === "account") {
        return organization?.accountFolders.get(value);
    }
    if (kind === "directory") {
        return value;
    }
    if (kind === "folder" || kind === "rootFolder") {
        const path = recipientPath(value, organization);
        return parseFolderPath(path) === undefined ? undefined : path;
    }
    return undefined;
}

/** The paths from the directory down to a place: `rd`, `rd/r`, `rd/r/fd1`, … */
function pathsDownTo(place: string): string[] {
    const parsed = parseFolderPath(place);
    if (parsed === undefined) {
        return isResourceDirectoryId(place) ? [place] : [];
    }
    const out = [parsed.directoryId, `${parsed.directoryId}/${parsed.rootFolderId}`];
    let path = out[1];
    for (const f of parsed.folderIds) {
        path = `${path}/${f}`;
        out.push(path);
    }
    return out;
}

const lastSegment = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** Whether a pattern of a policy (an action or resource, `*` a wildcard) matches a value. */
const wildcardMatches = (pattern: string, value: string): boolean =>
    new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i").test(value);

/**
 * The keys a KMS policy document grants, by exact ARN: a key action of C9 allowed on it with no condition, and taken
 * back by no Deny (a conditional one too: it may apply). A document unknown or unreadable grants none.
 */
export function grantedKeyArns(document: unknown): (KmsArn & { keyId: string })[] {
    if (document === undefined || document === null) {
        return [];
    }
    const analysis = analyzePermissionPolicy(document);
    const denied = (action: string, resource: string): boolean => analysis.denies.some((d) => d.actions.some((p) => wildcardMatches(p, action)) && d.resources.some((p) => wildcardMatches(p, resource)));
    const found = new Map<string, KmsArn & { keyId: string }>();
    for (const grant of analysis.grants.filter((g) => g.conditional !== true)) {
        for (const resource of grant.resources) {
            const arn = parseKmsArn(resource);
            if (arn?.keyId !== undefined && !found.has(resource) && KMS_KEY_ACTIONS.some((a) => grant.actions.some((p) => wildcardMatches(p, a)) && !denied(a, resource))) {
                found.set(resource, { ...arn, keyId: arn.keyId });
            }
        }
    }
    return [...found.values()];
}

/** The order of recipients: directories, root folders, folders, then accounts (each by id, whatever order a program registers them in), then anything else. */
const RECIPIENT_ORDER: Readonly<Record<RecipientKind, number>> = { directory: 0, rootFolder: 1, folder: 2, account: 3, unknown: 4 };
const byRecipient = (a: Pick<RecipientView, "kind" | "value">, b: Pick<RecipientView, "kind" | "value">): number =>
    RECIPIENT_ORDER[a.kind] - RECIPIENT_ORDER[b.kind] || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/** The graph view of a sharing graph: what is shared, from which owner, through which share, to whom. */
export function graphView(relations: Relations, options: GraphViewOptions = {}): GraphView {
    const graph = relations.graph;
    const propsByUrn = new Map((options.resources ?? []).map((r) => [r.urn, r.props]));
    const nameProp = (origin: Origin | undefined, ...names: string[]): string | undefined => {
        const props = origin === undefined ? undefined : propsByUrn.get(origin.urn);
        const found = names.map((n) => props?.[n]).find((v) => typeof v === "string" && v !== "");
        return found as string | undefined;
    };
    const owners = new Map<string, OwnerView>();
    const ownerOf = (account: AccountKey): string => {
        const id = `owner:${account}`;
        if (!owners.has(id)) {
            const accountId = accountIdOf(account);
            owners.set(id, { id, account, ...(accountId === undefined ? {} : { accountId }) });
        }
        return id;
    };
    const keys = new Map<string, KeyView>();
    const keyOf = (keyId: string): string | undefined => {
        const key = graph.keys.get(keyId);
        if (key === undefined) {
            return undefined;
        }
        if (!keys.has(key.id)) {
            keys.set(key.id, {
                id: key.id,
                ...(key.keyId.value === undefined ? {} : { keyId: key.keyId.value }),
                ...(key.region.value === undefined ? {} : { region: key.region.value }),
                owner: ownerOf(key.account),
                ...(key.deletionProtection?.value === undefined ? {} : { deletionProtection: key.deletionProtection.value }),
                ...(key.status?.value === undefined ? {} : { status: key.status.value }),
                urns: key.origin === undefined ? [] : [key.origin.urn],
            });
        }
        return key.id;
    };
    const items = new Map<string, ItemView & { urns: string[] }>();
    const itemOf = (itemId: string, viaUrn: string, shareRegion: string | undefined, sharedId: string | undefined): string => {
        let view = items.get(itemId);
        if (view === undefined) {
            const node = graph.items.get(itemId);
            const resolved = relations.encryptionOf(itemId);
            const key = resolved.key === undefined ? undefined : keyOf(resolved.key.id);
            const region = node?.region.value ?? shareRegion;
            const name = nameProp(node?.origin, "snapshotName", "imageName", "name") ?? node?.origin?.name;
            view = {
                id: itemId,
                kind: node?.kind ?? "snapshot",
                // The id the item is known by, else the one the share names (a live object's, read by the audit).
                ...((node?.resourceId.value ?? sharedId) === undefined ? {} : { resourceId: node?.resourceId.value ?? sharedId }),
                ...(name === undefined ? {} : { name }),
                ...(region === undefined ? {} : { region }),
                owner: ownerOf(node?.account ?? "default"),
                encryption: resolved.kind,
                ...(key === undefined ? {} : { key }),
                received: node?.received ?? false,
                urns: node?.origin === undefined ? [] : [node.origin.urn],
            };
            items.set(itemId, view);
        }
        if (!view.urns.includes(viaUrn)) {
            view.urns.push(viaUrn);
        }
        return itemId;
    };
    const groups = new Map<string, GroupView>();
    const groupAt = (path: string): string => {
        const id = `group:${path}`;
        if (groups.has(id)) {
            return id;
        }
        const paths = pathsDownTo(path);
        let parent: string | undefined;
        for (const p of paths.length === 0 ? [path] : paths) {
            const gid = `group:${p}`;
            if (!groups.has(gid)) {
                const value = lastSegment(p);
                const kind = isResourceDirectoryId(value) ? "directory" : isRootFolderId(value) ? "rootFolder" : "folder";
                const name = options.names?.get(value);
                groups.set(gid, { id: gid, kind, value, ...(name === undefined ? {} : { name }), path: p, ...(parent === undefined ? {} : { parent }) });
            }
            parent = gid;
        }
        return id;
    };
    const OUTSIDE = "group:outside";
    const recipients = new Map<string, RecipientView>();
    const recipientOf = (value: string): string => {
        const id = `recipient:${value}`;
        if (!recipients.has(id)) {
            const kind = recipientKind(value);
            const place = placeOf(value, kind, options.organization);
            let group: string;
            if (place !== undefined) {
                group = groupAt(place);
            } else if (kind === "folder" || kind === "rootFolder") {
                // A folder the tree does not place: a box of its own.
                group = groupAt(value);
            } else {
                if (!groups.has(OUTSIDE)) {
                    groups.set(OUTSIDE, { id: OUTSIDE, kind: "outside", value: "", path: "" });
                }
                group = OUTSIDE;
            }
            const name = options.names?.get(kind === "account" || kind === "directory" ? value : lastSegment(value));
            recipients.set(id, { id, value, kind, ...(name === undefined ? {} : { name }), group, ...(kind !== "account" && place !== undefined ? { path: place } : {}) });
        }
        return id;
    };
    // A key a share role's KMS policy grants by its ARN: the graph's key of that id (in that region, else any), else a
    // key view of its own, in the role's account (a share role uses its own account's keys).
    const keysById = listsBy([...graph.keys.values()].filter((k) => k.keyId.value !== undefined), (k) => k.keyId.value!);
    const grantedKeyOf = (arn: KmsArn & { keyId: string }, role: { account: AccountKey }): string => {
        const known = keysById.get(arn.keyId) ?? [];
        const node = known.find((k) => k.region.value === arn.region) ?? known[0];
        if (node !== undefined) {
            return keyOf(node.id)!;
        }
        const id = `key:${arn.keyId}`;
        if (!keys.has(id)) {
            const roleAccountId = accountIdOf(role.account);
            const account = roleAccountId === undefined || roleAccountId === arn.ownerAccountId ? role.account : `account:${arn.ownerAccountId}`;
            keys.set(id, { id, keyId: arn.keyId, region: arn.region, owner: ownerOf(account), urns: [] });
        }
        return id;
    };
    const roles = new Map<string, RoleView>();
    const roleOf = (roleId: string): string => {
        if (!roles.has(roleId)) {
            const role = graph.roles.get(roleId)!;
            const policies = relations.customPoliciesOf(role);
            const granted = [
                ...new Set([
                    ...policies.flatMap((p) => p.keys).map(keyOf),
                    ...policies.flatMap((p) => grantedKeyArns(p.document.value)).map((arn) => grantedKeyOf(arn, role)),
                ]),
            ].filter((k): k is string => k !== undefined);
            roles.set(roleId, {
                id: roleId,
                ...(role.name.value === undefined ? {} : { name: role.name.value }),
                ...(role.kind === undefined ? {} : { kind: role.kind }),
                owner: ownerOf(role.account),
                declared: role.declared,
                keys: granted,
                urns: role.origin === undefined ? [] : [role.origin.urn],
            });
        }
        return roleId;
    };

    const shares: ShareView[] = [];
    /** For each item, the keys the shares that declare it encrypted with a customer key take it to be on (undefined: not known). */
    const declaredKeys = new Map<string, (string | undefined)[]>();
    for (const share of graph.shares.values()) {
        if (share.kind === undefined) {
            continue;
        }
        const encryption = relations.shareEncryption(share);
        const region = share.region.value;
        const urns = new Set<string>();
        if (share.origin !== undefined) {
            urns.add(share.origin.urn);
        }
        share.items.forEach((i) => urns.add(i.via.urn));
        share.recipients.forEach((r) => urns.add(r.via.urn));
        const itemIds = share.items.map((i) => itemOf(i.item, i.via.urn, region, i.id.value));
        const recipientIds = [...new Set(share.recipients.filter((r) => r.value.value !== undefined).map((r) => recipientOf(r.value.value!)))].sort((a, b) => byRecipient(recipients.get(a)!, recipients.get(b)!));
        const shareRoles = encryption.kind === "key" ? rolesOfShare(relations, share).map((r) => roleOf(r.id)) : [];
        const itemKeys = encryption.keys.map((k) => keyOf(k.id)).filter((k): k is string => k !== undefined);
        // The owner says the items are encrypted with a customer key (the share waits for its role, or carries the tag):
        // the key is the role's, when it is granted exactly one in the share's region.
        const declared = encryption.kind === "key" && (share.declaredEncrypted === true || share.roleDependencies.has(share.kind));
        const roleKeys = [...new Set(shareRoles.flatMap((r) => roles.get(r)!.keys))].filter((k) => region !== undefined && keys.get(k)?.region === region);
        const roleKey = declared && roleKeys.length === 1 ? roleKeys[0] : undefined;
        if (declared) {
            share.items.forEach((i) => declaredKeys.set(i.item, [...(declaredKeys.get(i.item) ?? []), roleKey]));
        }
        const name = nameProp(share.origin, "resourceShareName") ?? (share.method === "imagePermission" ? (share.items[0]?.id.value ?? share.origin?.name) : share.origin?.name) ?? share.id;
        shares.push({
            id: share.id,
            name,
            kind: share.kind,
            method: share.method,
            owner: ownerOf(share.account),
            ...(region === undefined ? {} : { region }),
            encryption: encryption.kind,
            keys: itemKeys.length === 0 && roleKey !== undefined ? [roleKey] : itemKeys,
            ...(itemKeys.length === 0 && roleKey !== undefined ? { keyFrom: "shareRole" as const } : {}),
            items: [...new Set(itemIds)],
            recipients: recipientIds,
            roles: shareRoles,
            urns: [...urns],
        });
    }
    // An item nothing of its own says is encrypted, that a share declares encrypted with a customer key: on that key
    // (the shares' role's only key in the region, when they agree on one), else on a key not known.
    for (const [itemId, declaredBy] of declaredKeys) {
        const view = items.get(itemId);
        if (view === undefined || view.encryption !== "undeclared") {
            continue;
        }
        const agreed = new Set(declaredBy);
        const key = agreed.size === 1 ? declaredBy[0] : undefined;
        items.set(itemId, { ...view, encryption: "key", ...(key === undefined ? { keyFrom: "share" } : { key, keyFrom: "shareRole" }) });
    }
    // Groups by path (numbers in names in numeric order), the outside box last.
    const byPath = [...groups.values()].sort((a, b) => (a.kind === "outside" ? 1 : b.kind === "outside" ? -1 : a.path.localeCompare(b.path, "en", { numeric: true })));
    return {
        owners: [...owners.values()],
        keys: [...keys.values()],
        items: [...items.values()],
        shares,
        roles: [...roles.values()],
        recipients: [...recipients.values()].sort(byRecipient),
        groups: byPath,
    };
}

/**
 * What each recipient can use: the graph's reachability (computed once), indexed by the target each share names, and
 * read for every recipient a share names and every member account of the organization under a folder or directory a
 * share names: its own grants and those through each folder above it and its directory.
 */
export function recipientAccess(relations: Relations, graph: GraphView, options: GraphViewOptions = {}): RecipientAccess[] {
    const organization = options.organization;
    const byTarget = new Map<string, Reach[]>();
    // A target by its place: an account by its id, a folder by its full path (however the share names it), a directory by its id.
    const targetKey = (value: string): string => {
        const kind = recipientKind(value);
        return kind === "account" ? value : (placeOf(value, kind, organization) ?? value);
    };
    for (const r of relations.reachability()) {
        const key = targetKey(r.recipient);
        const list = byTarget.get(key);
        if (list === undefined) {
            byTarget.set(key, [r]);
        } else {
            list.push(r);
        }
    }
    const keyIds = new Map(graph.keys.map((k) => [k.id, k.keyId]));
    const items = new Map(graph.items.map((i) => [i.id, i]));
    const since = new Map((options.resources ?? []).filter((r) => r.since !== undefined).map((r) => [r.urn, r.since!]));
    // Held since both the recipient and the item were on the share: the later of the two times, when both are known.
    const sinceOf = (r: Reach): { since?: string } => {
        const target = since.get(r.via.urn);
        const item = since.get(r.itemVia.urn);
        return target === undefined || item === undefined ? {} : { since: item > target ? item : target };
    };
    const grantsOf = (value: string, kind: RecipientKind, place: string | undefined): Grant[] => {
        const own = targetKey(value);
        const above = place === undefined ? [] : pathsDownTo(place).filter((p) => p !== own);
        const grants: Grant[] = [];
        for (const target of [own, ...above]) {
            for (const r of byTarget.get(target) ?? []) {
                // An item nothing of its own says is encrypted takes what a share declares (see the graph view's item).
                const declared = r.encryption === "undeclared" ? items.get(r.item) : undefined;
                const from = declared?.keyFrom === undefined ? undefined : declared;
                const key = from === undefined ? r.key?.id : from.key;
                const keyId = key === undefined ? undefined : keyIds.get(key);
                grants.push({
                    share: r.share.id,
                    item: r.item,
                    kind: r.kind,
                    ...(r.resourceId.value === undefined ? {} : { resourceId: r.resourceId.value }),
                    ...(r.region.value === undefined ? {} : { region: r.region.value }),
                    encryption: from === undefined ? r.encryption : from.encryption,
                    ...(key === undefined ? {} : { key }),
                    ...(keyId === undefined ? {} : { keyId }),
                    ...(from === undefined ? {} : { keyFrom: from.keyFrom }),
                    through: r.recipient,
                    ...sinceOf(r),
                });
            }
        }
        return grants;
    };
    const out: RecipientAccess[] = [];
    const seen = new Set<string>();
    for (const r of graph.recipients) {
        if (seen.has(r.value)) {
            continue;
        }
        seen.add(r.value);
        const place = placeOf(r.value, r.kind, organization);
        out.push({ value: r.value, kind: r.kind, ...(r.name === undefined ? {} : { name: r.name }), ...(place === undefined ? {} : { place }), grants: grantsOf(r.value, r.kind, place) });
    }
    if (organization !== undefined) {
        // Members reached only through a folder or the directory: what they can use, through which of them.
        for (const [accountId, folder] of organization.accountFolders) {
            if (seen.has(accountId)) {
                continue;
            }
            const grants = grantsOf(accountId, "account", folder);
            if (grants.length > 0) {
                seen.add(accountId);
                const name = options.names?.get(accountId);
                out.push({ value: accountId, kind: "account", ...(name === undefined ? {} : { name }), place: folder, grants });
            }
        }
    }
    return out.sort(byRecipient);
}

/** @internal Values in lists by a key, each list in the values' order (one pass). */
export function listsBy<K, V>(values: Iterable<V>, keyOf: (value: V) => K): Map<K, V[]> {
    const lists = new Map<K, V[]>();
    for (const v of values) {
        const key = keyOf(v);
        const list = lists.get(key);
        if (list === undefined) {
            lists.set(key, [v]);
        } else {
            list.push(v);
        }
    }
    return lists;
}

/** The groups of a graph view as a tree, depth first (each parent right before its children), with their depth (0 at the top). */
export function groupsDepthFirst(graph: GraphView): { readonly group: GroupView; readonly depth: number }[] {
    const children = listsBy(graph.groups, (g) => g.parent);
    const out: { group: GroupView; depth: number }[] = [];
    // Iteratively, in the view's order among siblings.
    const stack = [...(children.get(undefined) ?? [])].reverse().map((group) => ({ group, depth: 0 }));
    while (stack.length > 0) {
        const next = stack.pop()!;
        out.push(next);
        [...(children.get(next.group.id) ?? [])].reverse().forEach((group) => stack.push({ group, depth: next.depth + 1 }));
    }
    return out;
}

/** A graph view's lookups, made once per view (each share's recipients are placed with them: linear, not shares × groups). */
interface GraphIndex {
    readonly recipients: ReadonlyMap<string, RecipientView>;
    readonly groups: ReadonlyMap<string, GroupView>;
    /** Each group's place depth first, and its depth. */
    readonly order: ReadonlyMap<string, { readonly index: number; readonly depth: number }>;
}
const indexes = new WeakMap<GraphView, GraphIndex>();
function indexOf(graph: GraphView): GraphIndex {
    let index = indexes.get(graph);
    if (index === undefined) {
        index = {
            recipients: new Map(graph.recipients.map((r) => [r.id, r])),
            groups: new Map(graph.groups.map((g) => [g.id, g])),
            order: new Map(groupsDepthFirst(graph).map(({ group, depth }, i) => [group.id, { index: i, depth }])),
        };
        indexes.set(graph, index);
    }
    return index;
}

/**
 * Some recipients of a graph view in their groups: the groups that hold them and those groups' parents, depth first,
 * with each group's recipients (in the given order).
 */
export function recipientGroups(
    graph: GraphView,
    recipientIds: readonly string[],
): { readonly groups: readonly { readonly group: GroupView; readonly depth: number }[]; readonly members: ReadonlyMap<string | undefined, RecipientView[]> } {
    const index = indexOf(graph);
    const members = listsBy(
        recipientIds.map((id) => index.recipients.get(id)).filter((r): r is RecipientView => r !== undefined),
        (r) => r.group,
    );
    const shown = new Set<string>();
    for (const id of members.keys()) {
        for (let g = id === undefined ? undefined : index.groups.get(id); g !== undefined && !shown.has(g.id); g = g.parent === undefined ? undefined : index.groups.get(g.parent)) {
            shown.add(g.id);
        }
    }
    const groups = [...shown]
        .map((id) => ({ group: index.groups.get(id)!, ...index.order.get(id)! }))
        .sort((a, b) => a.index - b.index)
        .map(({ group, depth }) => ({ group, depth }));
    return { groups, members };
}

/** The verdicts, each with the graph nodes it concerns: the rule's subject's, else every node made by its subject's URN. */
function withNodes(verdicts: readonly Verdict[], graph: GraphView): Verdict[] {
    const made = [...graph.keys, ...graph.items, ...graph.shares, ...graph.roles].flatMap((n) => n.urns.map((urn) => ({ urn, id: n.id })));
    const byUrn = listsBy(made, (m) => m.urn);
    const known = new Set([...graph.keys, ...graph.items, ...graph.shares, ...graph.roles, ...graph.recipients].map((n) => n.id));
    return verdicts.map((v) => {
        const given = v.nodes.filter((n) => known.has(n));
        const nodes = given.length > 0 ? given : v.urn === undefined ? [] : (byUrn.get(v.urn) ?? []).map((m) => m.id);
        return { ...v, nodes: [...new Set(nodes)] };
    });
}

/**
 * The drift, each entry with the nodes of the graph it names (a share by region and name, its items and targets, a role
 * by name; a principal a role trusts beyond the stack's by the role's trust of it).
 */
export function driftView(drift: Drift, graph: GraphView, source?: string): DriftView {
    const shareByKey = new Map(graph.shares.filter((s) => s.method === "resourceShare").map((s) => [`${s.region ?? "(any region)"}/${s.name}`, s]));
    const items = new Map(graph.items.map((i) => [i.id, i]));
    const recipients = new Map(graph.recipients.map((r) => [r.id, r]));
    const nodesOf = (kind: DriftKind, key: string): string[] => {
        const colon = key.indexOf(": ");
        const head = colon < 0 ? key : key.slice(0, colon);
        const tail = colon < 0 ? undefined : key.slice(colon + 2);
        switch (kind) {
            case "share": {
                const s = shareByKey.get(key);
                return s === undefined ? [] : [s.id];
            }
            case "resource": {
                const s = shareByKey.get(head);
                return s === undefined ? [] : s.items.filter((i) => items.get(i)?.resourceId === tail);
            }
            case "target": {
                const s = shareByKey.get(head);
                return s === undefined ? [] : s.recipients.filter((r) => recipients.get(r)?.value === tail);
            }
            case "imagePermission":
                return graph.shares
                    .filter((s) => s.method === "imagePermission" && s.items.some((i) => items.get(i)?.resourceId === head))
                    .flatMap((s) => [s.id, ...s.recipients.filter((r) => recipients.get(r)?.value === tail)]);
            case "role":
                return graph.roles.filter((r) => r.name === head).map((r) => r.id);
            case "trustedPrincipal":
                return graph.recipients.filter((r) => r.value === tail).map((r) => r.id);
        }
    };
    /** A trusted principal's role nodes (`<role name>: <principal>`): the trust is the drift, not the role. */
    const trustOf = (kind: DriftKind, key: string): Pick<DriftMark, "trust"> => {
        const colon = key.indexOf(": ");
        if (kind !== "trustedPrincipal" || colon < 0) {
            return {};
        }
        const roles = graph.roles.filter((r) => r.name === key.slice(0, colon)).map((r) => r.id);
        return roles.length === 0 ? {} : { trust: { roles, principal: key.slice(colon + 2) } };
    };
    const entries: DriftMark[] = [
        ...drift.outsideStack.map((e): DriftMark => ({ side: "outsideStack", kind: e.kind, key: e.key, ...(e.detail === undefined ? {} : { detail: e.detail }), nodes: nodesOf(e.kind, e.key), ...trustOf(e.kind, e.key) })),
        ...drift.missingFromAccount.map((e): DriftMark => ({ side: "missingFromAccount", kind: e.kind, key: e.key, ...(e.detail === undefined ? {} : { detail: e.detail }), nodes: [] })),
    ];
    return { format: drift.format, ...(source === undefined ? {} : { source }), entries, notCompared: [...drift.notCompared] };
}

/**
 * The shares no stack declares, each with the graph nodes it names: a resource share by its owner, region and name
 * (`region/name (rs-…)`), an image's permission by its owner and image, and the account it is granted to
 * (`m-…: <account>`).
 */
export function undeclaredView(undeclared: NonNullable<ReportInput["undeclared"]>, graph: GraphView): UndeclaredView {
    const ownerAccount = new Map(graph.owners.map((o) => [o.id, o.accountId]));
    const items = new Map(graph.items.map((i) => [i.id, i]));
    const recipients = new Map(graph.recipients.map((r) => [r.id, r]));
    const byOwner = listsBy(graph.shares, (s) => ownerAccount.get(s.owner));
    const nodesOf = (u: UndeclaredShare): string[] => {
        const shares = byOwner.get(u.accountId) ?? [];
        if (u.kind === "share") {
            return shares.filter((s) => s.method === "resourceShare" && u.key.startsWith(`${s.region ?? ""}/${s.name} (`)).map((s) => s.id);
        }
        const colon = u.key.indexOf(": ");
        const [image, grantee] = colon < 0 ? [u.key, undefined] : [u.key.slice(0, colon), u.key.slice(colon + 2)];
        return shares
            .filter((s) => s.method === "imagePermission" && s.items.some((i) => items.get(i)?.resourceId === image))
            .flatMap((s) => [s.id, ...s.recipients.filter((r) => recipients.get(r)?.value === grantee)]);
    };
    return { sources: [...undeclared.sources], shares: undeclared.shares.map((u) => ({ ...u, nodes: [...new Set(nodesOf(u))] })) };
}
