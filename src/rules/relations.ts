/**
 * The subjects of the relational rules, derived from the sharing graph: limits counted per item and per account,
 * each share's contents, the share roles its encrypted shares need (trust, keys, one per name), the keys behind what
 * is shared, and each share's encryption and regions followed through what its items were made from. The pack (over a
 * stack's graph) and the components (over the program's) judge these same subjects, so both reach the same findings.
 */
import { isRegionId } from "../alibaba/ids";
import { RESOURCE_KINDS, SHARE_ROLE_NAME } from "../alibaba/names";
import { accountIdOf, mayBeSameAccount } from "../graph/accounts";
import { Origin, RoleNode, ShareNode, describeOrigin } from "../graph/model";
import { Relations, ResolvedEncryption, ShareEncryption, keyArnOf, rolesOfShare } from "../graph/resolve";
import { Encryption, Located, ShareIntent, at, partialShareIntent } from "../intent/model";
import type { RuleSubject } from "./types";

const subjectAt = (origin: Origin) => ({ urn: origin.urn, name: origin.name, type: origin.type });

/** The origin a share reports on: the resource share, else its first part. */
const originOfShare = (share: ShareNode): Origin | undefined => share.origin ?? share.items[0]?.via ?? share.recipients[0]?.via;

/** A property path qualified by the resource it is on, when that is not the resource reported on. */
function pathOn(resolved: ResolvedEncryption, reportedOn: Origin | undefined): string {
    const origin = resolved.item.origin;
    return origin === undefined || origin.urn === reportedOn?.urn ? resolved.path : `${origin.name}.${resolved.path}`;
}

/** A share's encryption as the share rules read it. */
export function encryptionIntent(encryption: ShareEncryption, reportedOn: Origin | undefined): Encryption {
    switch (encryption.kind) {
        case "serviceKey":
        case "unknown":
            return { kind: encryption.kind, path: pathOn(encryption.decisive!, reportedOn) };
        case "key": {
            const key = encryption.keys[0];
            return { kind: "customerKey", keyId: key?.keyId ?? at<string>("kmsKeyId", undefined), keyRegion: key?.region ?? at<string>("region", undefined) };
        }
        default:
            return { kind: "none" };
    }
}

/**
 * One subject per group of items with the same recipients: the items of one share (or of the same shares) share one
 * intent, judged once (judgeSubject reuses the findings for each item), so that a share of N items to M accounts costs
 * N + M, not N x M. The intent names the group's first item.
 */
function groupIntent(cache: Map<object, ShareIntent>, key: object, build: () => ShareIntent): ShareIntent {
    let intent = cache.get(key);
    if (intent === undefined) {
        intent = build();
        cache.set(key, intent);
    }
    return intent;
}

/** C6, C17 per shared item (every recipient account across shares); C7 per owner account. */
export function limitSubjects(relations: Relations): RuleSubject[] {
    const subjects: RuleSubject[] = [];
    const snapshotsByAccount = new Map<string, { id: Located<string>; via: Origin; item: string }[]>();
    const intents = new Map<object, ShareIntent>();
    for (const [itemId, entry] of relations.recipientsByItem()) {
        const first = entry.first;
        const subject = groupIntent(intents, entry.accounts, () => partialShareIntent(entry.kind, { resources: [first.id], targets: [...entry.accounts].map((a) => at("accountId", a)) }));
        subjects.push({ kind: "share", subject, ...subjectAt(first.via), only: ACCOUNT_LIMIT_RULES, nodes: [itemId] });
        if (entry.kind === "snapshot") {
            const account = entry.shares[0].account;
            const owned = snapshotsByAccount.get(account) ?? [];
            owned.push({ id: first.id, via: first.via, item: itemId });
            snapshotsByAccount.set(account, owned);
        }
    }
    // Snapshots whose owner nobody names may be any named owner's: they count toward each (the stricter reading).
    const unnamed = snapshotsByAccount.get("default") ?? [];
    for (const [account, owned] of snapshotsByAccount) {
        const counted = account === "default" ? owned : [...owned, ...unnamed];
        subjects.push({ kind: "share", subject: partialShareIntent("snapshot", { resources: counted.map((s) => s.id) }), ...subjectAt(owned[0].via), only: ["snapshot-owner-quota"], nodes: counted.map((s) => s.item) });
    }
    return subjects;
}

const ACCOUNT_LIMIT_RULES: readonly string[] = ["snapshot-account-limit", "image-account-quota"];

/** C22: each image with every recipient it has, accounts and directory objects together. */
export function directoryAndAccountSubjects(relations: Relations): RuleSubject[] {
    const intents = new Map<object, Map<object, ShareIntent>>();
    return [...relations.recipientsByItem()]
        .filter(([, e]) => e.kind === "image")
        .map(([itemId, e]) => {
            const first = e.first;
            const byOrganization = intents.get(e.accounts) ?? new Map<object, ShareIntent>();
            intents.set(e.accounts, byOrganization);
            const subject = groupIntent(byOrganization, e.organization, () =>
                partialShareIntent("image", { resources: [first.id], targets: [...[...e.accounts].map((a) => at("accountId", a)), ...[...e.organization].map((o) => at("targetId", o))] }),
            );
            return { kind: "share" as const, subject, ...subjectAt(first.via), nodes: [itemId] };
        });
}

/** The rules a share's contents answer to. */
const CONTENTS_RULES = ["no-duplicates", "external-targets"];

/**
 * C4, C30: what one resource share holds (each target and item once; accounts outside the directory only when allowed),
 * and each image's permissions across every grant of it (one account granted twice is two resources of one grant).
 */
export function contentsSubjects(relations: Relations): RuleSubject[] {
    const subjects: RuleSubject[] = [];
    const permissions = new Map<string, { origin: Origin; targets: Located<string>[]; shares: string[] }>();
    for (const share of relations.graph.shares.values()) {
        const origin = originOfShare(share);
        if (origin === undefined) {
            continue;
        }
        if (share.method === "imagePermission") {
            for (const item of share.items) {
                const entry = permissions.get(item.item) ?? { origin, targets: [], shares: [] };
                entry.targets.push(...share.recipients.map((r) => at(`${r.via.name}.${r.value.path}`, r.value.value)));
                entry.shares.push(share.id);
                permissions.set(item.item, entry);
            }
            continue;
        }
        subjects.push({
            kind: "share",
            subject: partialShareIntent(share.kind ?? "snapshot", {
                resources: share.items.map((i) => at(`${i.via.name}.${i.id.path}`, i.id.value)),
                targets: share.recipients.map((r) => at(`${r.via.name}.${r.value.path}`, r.value.value)),
                targetsAreSharingIds: true,
                allowExternalTargets: share.allowExternalTargets,
            }),
            ...subjectAt(origin),
            only: CONTENTS_RULES,
            nodes: [share.id],
        });
    }
    for (const [item, { origin, targets, shares }] of permissions) {
        subjects.push({ kind: "share", subject: partialShareIntent("image", { targets, method: at("method", "imagePermission") }), ...subjectAt(origin), only: CONTENTS_RULES, nodes: [item, ...shares] });
    }
    return subjects;
}

/** How many other definitions of a role a message names; the count says the rest. */
const OTHERS_SHOWN = 3;

/**
 * S4, S5, S2, C9, C21: each encrypted share has its share role (present); each role of the graph is the only one of its
 * name in its account, trusts exactly the recipients of its account's encrypted shares and is granted their keys; each
 * custom policy attached to a share role (in the stack or known by its name) is minimal. `complete: false` while a
 * program is still being built: a trusted recipient no share targets yet is not judged stale.
 */
export function roleSubjects(relations: Relations, { complete = true }: { complete?: boolean } = {}): RuleSubject[] {
    const subjects: RuleSubject[] = [];
    const needsByRole = new Map<RoleNode, { targets: Set<string>; keyArns: Set<string> }>();
    for (const need of relations.roleNeeds()) {
        for (const share of need.shares) {
            const roles = rolesOfShare(relations, share);
            const origin = originOfShare(share);
            if (origin !== undefined) {
                subjects.push({
                    kind: "share",
                    subject: partialShareIntent(need.kind, { encryption: encryptionIntent(relations.shareEncryption(share), origin), shareRolePresent: roles.length > 0 }),
                    ...subjectAt(origin),
                    only: ["share-role-present"],
                    nodes: [share.id],
                });
            }
            const keyArns = relations.shareEncryption(share).keys.map((k) => keyArnOf(k, share.account)).filter((a): a is string => a !== undefined);
            for (const role of roles) {
                const n = needsByRole.get(role) ?? { targets: new Set<string>(), keyArns: new Set<string>() };
                share.recipients.forEach((r) => r.value.value !== undefined && n.targets.add(r.value.value));
                // A role whose account nobody names is granted the keys of whichever account it turns out to be in.
                keyArns.forEach((k) => n.keyArns.add(accountIdOf(role.account) === undefined ? k.replace(/^(acs:kms:[^:]+:)[^:]+(:)/, "$1*$2") : k));
                needsByRole.set(role, n);
            }
        }
    }
    const judgedPolicies = new Set<string>();
    for (const kind of RESOURCE_KINDS) {
        const roles = [...relations.graph.roles.values()].filter((r) => r.kind === kind);
        for (const role of roles) {
            const others = roles.filter((o) => o !== role && !o.declared && !role.declared && mayBeSameAccount(o.account, role.account));
            const need = needsByRole.get(role);
            const policies = relations.customPoliciesOf(role);
            // A policy attached by a name unknown at preview is a document unknown at preview (S6), not a missing one.
            const documents = [...policies.map((p) => p.document), ...relations.unknownPoliciesOf(role).map((a) => at<unknown>(`${a.origin.name}.policyName`, undefined))];
            if (role.origin !== undefined) {
                subjects.push({
                    kind: "role",
                    subject: {
                        kind,
                        roleName: role.name,
                        trustPolicy: need === undefined ? undefined : role.trust,
                        otherDefinitions: others.slice(0, OTHERS_SHOWN).map((r) => (r.origin === undefined ? r.id : describeOrigin(r.origin))),
                        otherDefinitionCount: others.length,
                        expectedTargets: need === undefined ? undefined : [...need.targets],
                        ...(complete ? {} : { expectedComplete: false }),
                        expectedKeyArns: need === undefined ? undefined : [...need.keyArns],
                        attachedKmsPolicies: need === undefined || role.declared ? undefined : documents,
                        ...(role.origin.urn.startsWith("component:") ? { definedBy: describeOrigin(role.origin) } : {}),
                    },
                    ...subjectAt(role.origin),
                    only: ["one-role-per-name", "trust-matches-targets", "kms-grants-complete"],
                    nodes: [role.id, ...others.map((o) => o.id)],
                });
            }
            for (const policy of policies) {
                if (judgedPolicies.has(policy.id) || policy.origin === undefined) {
                    continue;
                }
                judgedPolicies.add(policy.id);
                subjects.push({
                    kind: "role",
                    subject: { kind, roleName: role.name, kmsPolicy: at(policy.origin.urn === role.origin?.urn ? policy.document.path : "policyDocument", policy.document.value) },
                    ...subjectAt(policy.origin),
                    only: ["kms-policy-minimal", "ram-document-limits", "role-documents-known"],
                    nodes: [policy.id, role.id],
                });
            }
        }
    }
    return subjects;
}

/** C27: the keys of the graph behind shared encrypted items, directly or through a share role's policies. */
export function keySubjects(relations: Relations): RuleSubject[] {
    const shared = new Map<string, Set<string>>();
    const note = (keyId: string, what: string) => {
        const set = shared.get(keyId) ?? new Set<string>();
        set.add(what);
        shared.set(keyId, set);
    };
    for (const share of relations.graph.shares.values()) {
        const encryption = relations.shareEncryption(share);
        share.items.forEach((i, index) => {
            const resolved = encryption.items[index];
            if (resolved?.kind === "key" && resolved.key !== undefined) {
                note(resolved.key.id, `${share.kind ?? "resource"} ${i.id.value ?? relations.graph.items.get(i.item)?.origin?.name ?? i.via.name}`);
            }
        });
    }
    for (const role of relations.graph.roles.values()) {
        if (role.kind === undefined) {
            continue;
        }
        for (const policy of relations.customPoliciesOf(role)) {
            policy.keys.forEach((k) => note(k, `${role.kind}s (through ${SHARE_ROLE_NAME[role.kind!]})`));
        }
    }
    const subjects: RuleSubject[] = [];
    for (const [keyId, what] of shared) {
        const key = relations.graph.keys.get(keyId);
        if (key?.origin === undefined || key.deletionProtection === undefined) {
            continue;
        }
        subjects.push({
            kind: "key",
            subject: { keyId: at("keyId", key.keyId.value ?? key.origin.name), deletionProtection: key.deletionProtection, status: key.status, sharedResources: [...what] },
            ...subjectAt(key.origin),
            nodes: [key.id],
        });
    }
    return subjects;
}

/**
 * C8, C19, C20, C18, C33: each share's encryption followed through its items' sources (a snapshot's disk, an image's
 * snapshots, a copy's source), the key of each item in the item's region, each item shared in the region it lives in,
 * and unencrypted snapshots named.
 */
export function encryptionSubjects(relations: Relations): RuleSubject[] {
    const subjects: RuleSubject[] = [];
    for (const share of relations.graph.shares.values()) {
        const origin = originOfShare(share);
        if (share.kind === undefined || origin === undefined) {
            continue;
        }
        const encryption = relations.shareEncryption(share);
        const intent = encryptionIntent(encryption, origin);
        const method = at("method", share.method);
        if (intent.kind !== "none") {
            subjects.push({ kind: "share", subject: partialShareIntent(share.kind, { encryption: intent, region: share.region, method }), ...subjectAt(origin), only: ["snapshot-service-key", "image-service-key", "encrypted-image-region"], nodes: [share.id] });
        } else if (share.kind === "snapshot") {
            subjects.push({
                kind: "share",
                subject: partialShareIntent("snapshot", { encryption: intent, unencryptedDataAcknowledged: share.acknowledged, targets: share.recipients.map((r) => r.value) }),
                ...subjectAt(origin),
                only: ["unencrypted-snapshot-acknowledged"],
                nodes: [share.id],
            });
        }
        share.items.forEach((shareItem, index) => {
            const item = relations.graph.items.get(shareItem.item);
            const resolved = encryption.items[index];
            const itemRegion = item?.region.value !== undefined ? item.region : undefined;
            // Shared in the region it lives in (C18): an item the stack makes knows its region.
            if (itemRegion !== undefined && share.region.value !== undefined && isRegionId(itemRegion.value) && isRegionId(share.region.value) && itemRegion.value !== share.region.value) {
                subjects.push({
                    kind: "share",
                    subject: partialShareIntent(share.kind!, { region: share.region, resources: [shareItem.id], resourceRegions: [{ ...itemRegion, path: `${item!.origin?.name ?? shareItem.id.path}.${itemRegion.path}` }] }),
                    ...subjectAt(shareItem.via),
                    only: ["shared-in-own-region"],
                    nodes: [shareItem.item, share.id],
                });
            }
            // The key of the item (or of what it was made from) is in the item's region.
            if (resolved?.kind === "key" && resolved.key !== undefined) {
                const where = resolved.item.region.value !== undefined ? resolved.item.region : itemRegion ?? share.region;
                const on = resolved.item.origin ?? shareItem.via;
                subjects.push({
                    kind: "share",
                    subject: partialShareIntent(resolved.item.kind === "image" ? "image" : "snapshot", {
                        region: where,
                        encryption: { kind: "customerKey", keyId: resolved.key.keyId, keyRegion: resolved.key.region },
                    }),
                    ...subjectAt(on),
                    only: ["key-in-share-region"],
                    nodes: [resolved.item.id, resolved.key.id],
                });
            }
        });
    }
    return dedupe(subjects);
}

/** Subjects judged once each (an item in two shares has one key and one region): the same rules on the same nodes. */
function dedupe(subjects: RuleSubject[]): RuleSubject[] {
    const seen = new Set<string>();
    return subjects.filter((s) => {
        const key = `${s.urn}|${(s.only ?? []).join(",")}|${(s.nodes ?? []).join(",")}`;
        return seen.has(key) ? false : (seen.add(key), true);
    });
}
