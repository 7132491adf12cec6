/**
 * Report fixtures: sharing graphs of an organization written as the graph's own nodes (as the readers make them), and
 * the report models built from them. The issue's case (3 encrypted snapshots and 2 images shared with the accounts of
 * a directory's folders, a share role per kind) at any size, and with hostile names. The verdicts come from the rules'
 * own check (`judgeWith`), so their messages and fixes are the rules': every recipient outside the allowed folders
 * (Production and DR) is refused.
 */
import { at } from "../../src/intent/model";
import type { KeyNode, ItemNode, Origin, RoleNode, ShareNode, SharingGraph } from "../../src/graph/model";
import { emptyGraph } from "../../src/graph/model";
import { OrganizationFile, organizationOf } from "../../src/graph/organization";
import { partialShareIntent } from "../../src/intent/model";
import { kmsSharePolicy } from "../../src/ram/documents";
import { judgeWith, ruleById, ruleContext } from "../../src/rules/registry";
import type { AnyRule } from "../../src/rules/types";
import { ReportInput, ReportModel, Verdict, organizationNames, reportModel, verdictOf } from "../../src/report/model";
import type { Drift } from "../../src/audit/drift";

export const OWNER = "1111111111111111";
export const DR_ACCOUNT = "2222222222222222";
export const OUTSIDER = "9999999999999999";
export const DIRECTORY = "rd-org1";
export const ROOT = "r-root1";
/** A region where encrypted images can be shared (C19: `DEFAULT_LIMITS.encryptedImageRegions`), so the fixture is a setup the rules accept but for the recipients they refuse. */
export const REGION = "cn-shanghai";
const OWNER_KEY = `account:${OWNER}`;

const urn = (type: string, name: string): string => `urn:pulumi:dev::sharing::${type}::${name}`;
const origin = (type: string, name: string): Origin => ({ urn: urn(type, name), name, type });
const SHARE = "alicloud:resourcemanager/resourceShare:ResourceShare";
const SHARED_RESOURCE = "alicloud:resourcemanager/sharedResource:SharedResource";
const SHARED_TARGET = "alicloud:resourcemanager/sharedTarget:SharedTarget";
const SNAPSHOT = "alicloud:ecs/ecsSnapshot:EcsSnapshot";
const IMAGE = "alicloud:ecs/image:Image";
const KEY = "alicloud:kms/key:Key";
const ROLE = "alicloud:ram/role:Role";
const POLICY = "alicloud:ram/policy:Policy";
const ATTACHMENT = "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment";

/** An account id of the fixture: `3` then 15 digits of `n`. */
export const memberId = (n: number): string => `3${String(n).padStart(15, "0")}`;

/** Sizes and names of the fixture's organization. */
export interface OrganizationCase {
    /** Member accounts in each folder, by folder id; the folder's name beside. */
    readonly folders: readonly { readonly id: string; readonly name: string; readonly accounts: number }[];
    /** Names given to accounts and shares (hostile names go here). */
    readonly shareNames?: { readonly snapshots: string; readonly images: string };
    readonly folderNames?: Readonly<Record<string, string>>;
}

/** The issue's organization: 40 accounts in two folders, a DR account in a third. */
export const ISSUE_CASE: OrganizationCase = {
    folders: [
        { id: "fd-prod", name: "Production", accounts: 25 },
        { id: "fd-dev", name: "Development", accounts: 15 },
    ],
};

/** The folders whose members may receive shares: the first folder of a case (Production) and the DR folder. */
const ALLOWED_FOLDERS = [`${DIRECTORY}/${ROOT}/fd-prod`, `${DIRECTORY}/${ROOT}/fd-team1`, `${DIRECTORY}/${ROOT}/fd-dr`];

/** The organization file of a case: the folders with their members, the DR folder with the DR account; Production and DR allowed. */
export function organizationFile(c: OrganizationCase): OrganizationFile {
    let next = 0;
    return {
        resourceDirectory: {
            id: DIRECTORY,
            rootFolderId: ROOT,
            folders: [
                ...c.folders.map((f) => ({ id: f.id, name: c.folderNames?.[f.id] ?? f.name, accounts: Array.from({ length: f.accounts }, () => ({ id: memberId(++next) })) })),
                { id: "fd-dr", name: "Disaster recovery", accounts: [{ id: DR_ACCOUNT, name: "dr-account" }] },
            ],
        },
        allowedRecipients: { folderPathPrefixes: ALLOWED_FOLDERS },
    };
}

/**
 * The graph: the owner's two keys, 3 snapshots on the backup key shared (resource share `backups`) with the case's first
 * folder by its path, the DR account and an account outside the directory; 2 images (one on the image key, one not
 * encrypted and acknowledged) shared (resource share `golden-images`) with every member account of the case's folders,
 * each by its id; the two share roles, each granted its key by a policy.
 */
export function organizationGraph(c: OrganizationCase): SharingGraph {
    const graph = emptyGraph();
    const key = (name: string, keyId: string): KeyNode => ({ id: urn(KEY, name), keyId: at("arn", keyId), region: at("provider.region", REGION), account: OWNER_KEY, deletionProtection: at("deletionProtection", "Enabled"), status: at("status", "Enabled"), origin: origin(KEY, name) });
    const backupKey = key("backup-key", "key-backup0001abcd");
    const imageKey = key("image-key", "key-images0002abcd");
    graph.keys.set(backupKey.id, backupKey);
    graph.keys.set(imageKey.id, imageKey);
    const item = (kind: "snapshot" | "image", type: string, name: string, resourceId: string, encryption: ItemNode["encryption"]): ItemNode => ({
        id: urn(type, name),
        kind,
        resourceId: at("id", resourceId),
        region: at("provider.region", REGION),
        account: OWNER_KEY,
        encryption,
        received: false,
        origin: origin(type, name),
    });
    const snapshots = [1, 2, 3].map((n) => item("snapshot", SNAPSHOT, `backup-${n}`, `s-backup0${n}`, { kind: "key", key: backupKey.id, path: "kmsKeyId" }));
    const images = [
        item("image", IMAGE, "golden-1", "m-golden01", { kind: "key", key: imageKey.id, path: "kmsKeyId" }),
        item("image", IMAGE, "golden-2", "m-golden02", { kind: "none", path: "encrypted" }),
    ];
    [...snapshots, ...images].forEach((i) => graph.items.set(i.id, i));
    const share = (name: string, kind: "snapshot" | "image", shared: ItemNode[], targets: string[]): ShareNode => ({
        id: urn(SHARE, name),
        kind,
        method: "resourceShare",
        account: OWNER_KEY,
        region: at("provider.region", REGION),
        items: shared.map((i) => ({ item: i.id, via: origin(SHARED_RESOURCE, `${name}-${i.resourceId.value}`), id: at("resourceId", i.resourceId.value) })),
        recipients: targets.map((t) => ({ value: at("targetId", t), via: origin(SHARED_TARGET, `${name}-${t}`) })),
        roleDependencies: new Set([kind]),
        acknowledged: kind === "image",
        origin: origin(SHARE, name),
    });
    const members = organizationFile(c).resourceDirectory!.folders!.filter((f) => f.id !== "fd-dr").flatMap((f) => (f.accounts ?? []).map((a) => a.id));
    const backups = share(c.shareNames?.snapshots ?? "backups", "snapshot", snapshots, [`${DIRECTORY}/${ROOT}/${c.folders[0].id}`, DR_ACCOUNT, OUTSIDER]);
    const golden = share(c.shareNames?.images ?? "golden-images", "image", images, members);
    graph.shares.set(backups.id, backups);
    graph.shares.set(golden.id, golden);
    for (const [kind, roleName, k] of [["snapshot", "AliyunECSShareEncryptSnapshotDefaultRole", backupKey], ["image", "AliyunECSShareEncryptImageDefaultRole", imageKey]] as const) {
        const role: RoleNode = { id: urn(ROLE, `${kind}-share-role`), kind, name: at("roleName", roleName), account: OWNER_KEY, declared: false, origin: origin(ROLE, `${kind}-share-role`) };
        graph.roles.set(role.id, role);
        const policyId = urn(POLICY, `${kind}-share-kms`);
        // The minimal KMS policy the components write (C9): the role can use its key, and nothing more.
        const document = kmsSharePolicy([{ keyId: k.keyId.value!, region: REGION, ownerAccountId: OWNER }]);
        graph.policies.set(policyId, { id: policyId, name: at("policyName", `${kind}-share-kms`), account: OWNER_KEY, document: at("policyDocument", document), keys: [k.id], origin: origin(POLICY, `${kind}-share-kms`) });
        const attachmentId = urn(ATTACHMENT, `${kind}-share-kms`);
        graph.attachments.set(attachmentId, { id: attachmentId, account: OWNER_KEY, role: { node: role.id, name: role.name }, policy: { node: policyId, name: at("policyName", `${kind}-share-kms`), system: false }, origin: origin(ATTACHMENT, `${kind}-share-kms`) });
    }
    return graph;
}

/** The verdicts of one rule on one share's targets, judged by the rule's own check with the case's organization. */
function judgedTargets(ruleId: string, share: ShareNode, c: OrganizationCase, judgedBy: Verdict["judgedBy"]): Verdict[] {
    const file = organizationFile(c);
    const organization = organizationOf(file);
    const rule = ruleById(ruleId) as AnyRule;
    const intent = partialShareIntent(share.kind!, { targets: share.recipients.map((r) => ({ ...r.value, path: `${r.via.name}.targetId` })) });
    const context = ruleContext({ organization, allowedRecipients: { accountIds: [], resourceDirectoryIds: [], folderPathPrefixes: ALLOWED_FOLDERS }, today: "2026-12-01" });
    const findings = judgeWith([rule] as never[], intent as never, context, { type: share.origin!.type, name: share.origin!.name, urn: share.origin!.urn });
    return findings.map((f) => verdictOf(f, { level: "mandatory", judgedBy, policy: "sharing-recipients", nodes: [share.id] }));
}

/** The report of a case: the graph, the organization, the rules' verdicts, a plan of the share resources; a drift when asked. */
export function organizationReport(c: OrganizationCase = ISSUE_CASE, options: { drift?: Drift; tool?: ReportModel["tool"] } = {}): ReportModel {
    return reportModel(organizationInput(c, options));
}

/** What the report of a case is built from (the verdicts already judged). */
export function organizationInput(c: OrganizationCase = ISSUE_CASE, options: { drift?: Drift; tool?: ReportModel["tool"] } = {}): ReportInput {
    const graph = organizationGraph(c);
    const file = organizationFile(c);
    const shares = [...graph.shares.values()];
    const verdicts = shares.flatMap((s) => judgedTargets("recipients-allowed", s, c, options.tool === "audit" ? "audit" : "pack"));
    const plan = shares.flatMap((s) => [
        { urn: s.origin!.urn, type: s.origin!.type, name: s.origin!.name, provider: "default", protect: true, inputs: { resourceShareName: s.origin!.name } },
        ...s.items.map((i) => ({ urn: i.via.urn, type: i.via.type, name: i.via.name, parent: s.origin!.urn, provider: "default", inputs: { resourceId: i.id.value } })),
        ...s.recipients.map((r) => ({ urn: r.via.urn, type: r.via.type, name: r.via.name, parent: s.origin!.urn, provider: "default", inputs: { targetId: r.value.value } })),
    ]);
    return {
        tool: options.tool ?? "preview",
        title: options.tool === "audit" ? `audit of account ${OWNER}` : "offline preview of sharing (stack dev)",
        accounts: [OWNER],
        regions: [REGION],
        plan,
        verdicts,
        graph,
        organization: organizationOf(file),
        names: organizationNames(file),
        ...(options.drift === undefined ? {} : { drift: options.drift }),
    };
}

/** A case of `n` member accounts in folders of 100 (the last one smaller). */
export function caseOf(accounts: number): OrganizationCase {
    const folders = Array.from({ length: Math.ceil(accounts / 100) }, (_, i) => ({ id: `fd-team${i + 1}`, name: `Team ${i + 1}`, accounts: Math.min(100, accounts - i * 100) }));
    return { folders };
}

/**
 * What a component refuses when its share role would trust accounts off the allow-list: one verdict per account, all
 * at the argument `accountIds` of one component (the rule's own check, as the component judges it).
 */
export function untrustedPrincipals(accounts: readonly string[]) {
    const trust = JSON.stringify({ Version: "1", Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: accounts.map((a) => `${a}@ecs.aliyuncs.com`) } }] });
    const role = { kind: "snapshot" as const, roleName: at("roleName", "AliyunECSShareEncryptSnapshotDefaultRole"), trustPolicy: at("accountIds", trust) };
    const context = ruleContext({ allowedRecipients: { accountIds: [], resourceDirectoryIds: [], folderPathPrefixes: ["rd-a/r-b"] }, today: "2026-12-01" });
    const subject = { type: "alicloud-sharing:index:SharedSnapshot", name: "backups", urn: "urn:pulumi:dev::p::alicloud-sharing:index:SharedSnapshot::backups" };
    return judgeWith([ruleById("trusted-principals-allowed") as AnyRule] as never[], role as never, context, subject).map((f) => verdictOf(f, { level: "mandatory", judgedBy: "component", policy: "component" }));
}

export { SHARE, SHARED_TARGET, urn };

/** A graph view of n image permissions, each of one image to one account outside any directory (a shape that does not group). */
export function imagePermissionsGraph(n: number) {
    const account = (i: number) => `2${String(i).padStart(15, "0")}`;
    const items = Array.from({ length: n }, (_, i) => ({ id: `item:m-${i}`, kind: "image", resourceId: `m-img${String(i).padStart(8, "0")}`, region: "cn-hangzhou", owner: "owner:default", encryption: "none", received: false, urns: [] }));
    return {
        account,
        graph: {
            owners: [{ id: "owner:default" }],
            keys: [] as never[],
            items,
            shares: items.map((item, i) => ({ id: `share:${i}`, name: item.resourceId, method: "imagePermission", owner: "owner:default", region: "cn-hangzhou", encryption: "none", keys: [], items: [item.id], recipients: [`recipient:${account(i)}`], roles: [], urns: [] })),
            roles: [] as never[],
            recipients: Array.from({ length: n }, (_, i) => ({ id: `recipient:${account(i)}`, value: account(i), kind: "account", group: undefined as string | undefined })),
            groups: [] as { id: string; kind: string; value: string; path: string }[],
        },
        access: Array.from({ length: n }, (_, i) => ({ value: account(i), kind: "account", grants: [{ share: `share:${i}`, item: `item:m-${i}`, kind: "image", resourceId: items[i].resourceId, region: "cn-hangzhou", encryption: "none", through: account(i) }] })),
    };
}
