/**
 * The same organization, written twice: once with the components, once as the raw `@pulumi/alicloud` resources a user
 * would write by hand for it. Random organizations (owners in two accounts, providers per region, keys, a resource
 * directory with folders and members, an allow-list, snapshots and images shared and copied, recipients of every kind,
 * unencrypted shares acknowledged or not, share roles that miss a recipient or a key) must reach the same findings at
 * both enforcement points: the components' refusals and warnings plus the pack's verdicts on what they made, and the
 * pack's verdicts on the raw program. Each finding is compared as its rule and the element of the organization it is
 * about (a share, a role); findings about relations between elements (limits, a role's trust and keys) as the rule.
 *
 * Two variants: the owners named (two accounts, ownerAccountId and providers' accountId, an allow-list of the
 * directory), and the owner named nowhere (no ownerAccountId, providers without accountId: the account the caller
 * identity answers, the "default" of both readers) with a folder-only allow-list.
 */
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { OWNER as CALLER, installMocks, asPolicyResources, withLibraryConfig } from "../support/mocks";
import { runsOf } from "../support/fuzz";

const rec = installMocks();

import { Provider } from "@pulumi/alicloud/provider";
import { EncryptedShareRole, SharedImage, SharedSnapshot } from "../../src";
import { resourceSharingTargetId, principalKind } from "../../src/alibaba/ids";
import { RESOURCE_SHARING_TYPE, SHARE_ROLE_NAME } from "../../src/alibaba/names";
import { resetProgramState } from "../../src/components/programState";
import { OrganizationFile } from "../../src/graph/organization";
import { policies } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { kmsSharePolicy, renderDocument, trustPolicy } from "../../src/ram";
import { findingsOfError, judgedBy, rules } from "../../src/rules";
import { warningsOfError } from "../../src/rules/errors";
import { TestResource, runPolicies, urnOf } from "../../src/testing";

/** What differs between the runs of the property: who owns the shares (named in the program or not) and the allow-list. */
interface Variant {
    readonly owners: readonly string[];
    readonly ownerNamed: boolean;
    readonly allowList: "directory" | "folders";
}
const NAMED: Variant = { owners: ["1000000000000001", "1000000000000002"], ownerNamed: true, allowList: "directory" };
const UNNAMED: Variant = { owners: [CALLER], ownerNamed: false, allowList: "folders" };
/** The variant of the property running. */
let variant: Variant = NAMED;
const REGIONS = ["cn-shanghai", "cn-beijing", "us-west-1"];
const RD = "rd-org";
const ROOT = "r-root";
const MEMBERS = ["4000000000000001", "4000000000000002"];
const OUTSIDER = "5000000000000001";
const FOLDER_A = `${RD}/${ROOT}/fd-a`;
const FOLDER_B = `${RD}/${ROOT}/fd-a/fd-b`;
const ORGANIZATION = (allowList: boolean): OrganizationFile => ({
    resourceDirectory: { id: RD, rootFolderId: ROOT, folders: [{ id: "fd-a", accounts: [{ id: MEMBERS[0] }], folders: [{ id: "fd-b", accounts: [{ id: MEMBERS[1] }] }] }] },
    ...(allowList ? { allowedRecipients: variant.allowList === "directory" ? { resourceDirectoryIds: [RD] } : { folderPathPrefixes: [FOLDER_A] } } : {}),
});
const keyOf = (owner: number, region: string): string => `key-o${owner}${region.replace(/[^a-z0-9]/g, "")}`;

type Kind = "snapshot" | "image";
interface Share {
    readonly el: string;
    readonly kind: Kind;
    readonly owner: number;
    readonly region: string;
    readonly items: readonly string[];
    readonly encryption: "key" | "acknowledged" | "plain";
    readonly accountIds: readonly string[];
    readonly directory: boolean;
    readonly folderPaths: readonly string[];
    readonly method: "resourceShare" | "imagePermission";
    readonly copyTo?: string;
}
interface Role {
    readonly el: string;
    readonly kind: Kind;
    readonly owner: number;
    readonly targets: readonly string[];
    readonly keys: readonly { keyId: string; region: string }[];
}
interface Organization {
    readonly allowList: boolean;
    readonly shares: readonly Share[];
    readonly roles: readonly Role[];
}

const share = (index: number): fc.Arbitrary<Share> =>
    fc
        .record({
            kind: fc.constantFrom<Kind>("snapshot", "image"),
            owner: fc.integer({ min: 0, max: variant.owners.length - 1 }),
            region: fc.constantFrom(...REGIONS),
            items: fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
            encryption: fc.constantFrom<Share["encryption"]>("key", "acknowledged", "plain"),
            accountIds: fc.uniqueArray(fc.constantFrom(...MEMBERS, OUTSIDER, ...(variant.ownerNamed ? variant.owners : [])), { maxLength: 3 }),
            directory: fc.boolean(),
            folderPaths: fc.uniqueArray(fc.constantFrom(FOLDER_A, FOLDER_B), { maxLength: 1 }),
            method: fc.constantFrom<Share["method"]>("resourceShare", "imagePermission"),
            copy: fc.option(fc.constantFrom(...REGIONS), { nil: undefined }),
        })
        .filter((s) => s.accountIds.length + s.folderPaths.length + (s.directory ? 1 : 0) > 0)
        .map((s) => ({
            el: `e${index}`,
            kind: s.kind,
            owner: s.owner,
            region: s.region,
            // A snapshot is encrypted or not: shares of one id agree on whether it is (its id says which).
            items: s.items.map((i) => `${s.kind === "snapshot" ? "s" : "m"}-${s.encryption === "key" ? "key" : "pln"}000${i}`),
            encryption: s.encryption,
            accountIds: s.accountIds,
            directory: s.directory,
            folderPaths: s.folderPaths,
            method: s.kind === "image" ? s.method : "resourceShare",
            copyTo: s.kind === "image" && s.copy !== undefined && s.copy !== s.region ? s.copy : undefined,
        }));

const targetsOf = (s: Share): string[] => [...s.accountIds, ...(s.directory ? [RD] : []), ...s.folderPaths];

/** One share role per owner and kind with encrypted shares, trusting their recipients and granted their keys, less what `drop` takes away. */
function rolesFor(shares: readonly Share[], allowList: boolean, drop: { target: number; key: number }): Role[] {
    const roles: Role[] = [];
    for (const owner of variant.owners.keys()) {
        for (const kind of ["snapshot", "image"] as const) {
            const mine = shares.filter((s) => s.owner === owner && s.kind === kind);
            const encrypted = mine.filter((s) => s.encryption === "key");
            if (encrypted.length === 0) {
                continue;
            }
            // ECS uses the role for every share of its kind not declared unencrypted: it must trust them all.
            const served = mine.filter((s) => s.encryption !== "acknowledged");
            // The role trusts only allowed recipients (a refused role would leave its shares without one: a cascade, not a finding).
            const allowed = (t: string) =>
                !allowList || (principalKind(t) === "account" ? members.has(t) : variant.allowList === "directory" || principalKind(t) === "folderPath");
            let targets = [...new Set(served.flatMap(targetsOf))].filter((t) => allowed(t) && t !== variant.owners[owner]);
            const keys = [...new Map(encrypted.flatMap((s) => [{ keyId: keyOf(owner, s.region), region: s.region }, ...(s.copyTo === undefined ? [] : [{ keyId: keyOf(owner, s.copyTo), region: s.copyTo }])]).map((k) => [k.keyId, k])).values()];
            if (drop.target > 0 && targets.length > 1) {
                targets = targets.filter((_, i) => i !== drop.target % targets.length);
            }
            // A raw share of ids names no key (only the components' arguments do): a missing key can be told from both
            // sides only for copies, whose ImageCopy names its key. Drop only a copy's key.
            const shareKeys = new Set(encrypted.map((s) => keyOf(owner, s.region)));
            const copyKeys = keys.filter((k) => !shareKeys.has(k.keyId));
            const dropped = drop.key > 0 && copyKeys.length > 0 ? copyKeys[drop.key % copyKeys.length].keyId : undefined;
            const kept = keys.filter((k) => k.keyId !== dropped);
            if (targets.length > 0) {
                roles.push({ el: `role-${owner}-${kind}`, kind, owner, targets, keys: kept });
            }
        }
    }
    return roles;
}

const organization: fc.Arbitrary<Organization> = fc
    .record({
        allowList: fc.boolean(),
        shares: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => share(i)))),
        drop: fc.record({ target: fc.integer({ min: 0, max: 3 }), key: fc.integer({ min: 0, max: 2 }) }),
    })
    .map(({ allowList, shares, drop }) => {
        const roles = rolesFor(shares, allowList, drop);
        // A raw share of ids says it is encrypted only by waiting for its role: with no role to wait for (its recipients
        // are all refused), the share is written unencrypted, acknowledged, on both sides.
        const hasRole = (s: Share) => roles.some((r) => r.owner === s.owner && r.kind === s.kind);
        return { allowList, shares: shares.map((s) => (s.encryption === "key" && !hasRole(s) ? { ...s, encryption: "acknowledged" as const } : s)), roles };
    });

const principals = (targets: readonly string[]) => ({
    accountIds: targets.filter((t) => principalKind(t) === "account"),
    resourceDirectoryId: targets.find((t) => principalKind(t) === "directory"),
    folderPaths: targets.filter((t) => principalKind(t) === "folderPath"),
});
const argsOf = (targets: readonly string[]) => {
    const p = principals(targets);
    return { ...(p.accountIds.length > 0 ? { accountIds: p.accountIds } : {}), ...(p.resourceDirectoryId === undefined ? {} : { resourceDirectoryId: p.resourceDirectoryId }), ...(p.folderPaths.length > 0 ? { folderPaths: p.folderPaths } : {}) };
};
const members = new Set(MEMBERS);
/** The owner's account under `key` where the variant names it (an argument, a provider's property), else nothing. */
const named = <K extends string>(owner: number, key: K): Partial<Record<K, string>> =>
    variant.ownerNamed ? ({ [key]: variant.owners[owner] } as Record<K, string>) : {};

/** The findings of the organization written with the components: refusals (with their warnings), warnings, and the pack on what they made. */
async function withComponents(org: Organization): Promise<{ refusals: string[]; found: string[] }> {
    await rec.settle();
    rec.clear();
    resetProgramState();
    const found: string[] = [];
    const refusals: string[] = [];
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation((message: string, resource?: pulumi.Resource) => {
        const rule = /\(rule ([a-z-]+)\)$/.exec(message)?.[1];
        found.push(`${rule}@${(resource as unknown as { __name?: string })?.__name}`);
        return Promise.resolve();
    });
    const providers = new Map<string, Provider>();
    const provider = (owner: number, region: string) => {
        const key = `${owner}|${region}`;
        if (!providers.has(key)) {
            providers.set(key, new Provider(`p-${owner}-${region}`, { region, ...named(owner, "accountId") }));
        }
        return providers.get(key)!;
    };
    const refused = (build: () => unknown) => {
        try {
            build();
        } catch (e) {
            const findings = findingsOfError(e);
            if (findings === undefined) {
                throw e;
            }
            [...findings, ...warningsOfError(e)].forEach((f) => refusals.push(`${f.ruleId}@${f.subject?.name}`));
        }
    };
    withLibraryConfig({ organization: ORGANIZATION(org.allowList) }, () => {
        for (const role of org.roles) {
            const [first, ...more] = role.keys;
            refused(
                () =>
                    new EncryptedShareRole(
                        role.el,
                        { resourceKind: role.kind, kmsKeyId: first.keyId, kmsKeyRegion: first.region, additionalKmsKeys: more, ...named(role.owner, "ownerAccountId"), ...argsOf(role.targets) },
                        { provider: provider(role.owner, REGIONS[0]) },
                    ),
            );
        }
        for (const s of org.shares) {
            const common = {
                region: s.region,
                ...named(s.owner, "ownerAccountId"),
                ...(s.encryption === "key" ? { kmsKeyId: keyOf(s.owner, s.region), kmsKeyRegion: s.region, createShareRole: false } : {}),
                ...(s.encryption === "acknowledged" ? { unencryptedDataAcknowledged: true } : {}),
                ...argsOf(targetsOf(s)),
            };
            if (s.kind === "snapshot") {
                refused(() => new SharedSnapshot(s.el, { snapshotIds: [...s.items], ...common }, { provider: provider(s.owner, s.region) }));
            } else {
                refused(
                    () =>
                        new SharedImage(
                            s.el,
                            {
                                imageIds: [...s.items],
                                ...common,
                                method: s.method,
                                ...(s.copyTo === undefined ? {} : { copyToRegions: [s.copyTo], ...(s.encryption === "key" ? { copyKmsKeyIds: { [s.copyTo]: keyOf(s.owner, s.copyTo) } } : {}) }),
                            },
                            { provider: provider(s.owner, s.region), ...(s.copyTo === undefined ? {} : { regionProviders: { [s.copyTo]: provider(s.owner, s.copyTo) } }) },
                        ),
                );
            }
        }
    });
    await rec.settle();
    warn.mockRestore();
    const made = asPolicyResources(rec.registrations);
    return { refusals, found: [...found, ...(await judged(made, org))] };
}

/** The organization written as raw resources, by hand: what the components would make. */
function rawResources(org: Organization): TestResource[] {
    const out: TestResource[] = [];
    const at = (owner: number, region: string) => ({ providerProps: { region, ...named(owner, "accountId") } });
    const attachments = new Map<string, TestResource>();
    for (const role of org.roles) {
        const name = SHARE_ROLE_NAME[role.kind];
        const r: TestResource = { type: TYPES.role, name: `${role.el}-role`, props: { roleName: name, assumeRolePolicyDocument: renderDocument(trustPolicy(principals(role.targets))), maxSessionDuration: 3600 }, ...at(role.owner, REGIONS[0]) };
        const p: TestResource = {
            type: TYPES.policy,
            name: `${role.el}-kms-policy`,
            props: { policyName: `alicloud-sharing-${role.kind}-kms`, policyDocument: renderDocument(kmsSharePolicy(role.keys.map((k) => ({ ...k, ownerAccountId: variant.owners[role.owner] })))) },
            ...at(role.owner, REGIONS[0]),
        };
        const a: TestResource = {
            type: TYPES.rolePolicyAttachment,
            name: `${role.el}-attachment`,
            props: { roleName: name, policyName: `alicloud-sharing-${role.kind}-kms`, policyType: "Custom" },
            propertyDependencies: { roleName: [urnOf(r)], policyName: [urnOf(p)] },
            dependencies: [urnOf(r), urnOf(p)],
            ...at(role.owner, REGIONS[0]),
        };
        out.push(r, p, a);
        attachments.set(`${role.owner}|${role.kind}`, a);
    }
    for (const s of org.shares) {
        const attachment = s.encryption === "key" ? attachments.get(`${s.owner}|${s.kind}`) : undefined;
        const deps = attachment === undefined ? [] : [urnOf(attachment)];
        const grant = (prefix: string, region: string, items: { id: string; from?: TestResource }[]) => {
            const targets = targetsOf(s);
            const byPermission = s.method === "imagePermission" ? s.accountIds : [];
            for (const item of items) {
                for (const account of byPermission) {
                    out.push({ type: TYPES.imageSharePermission, name: `${prefix}-permission-${item.id}-${account}`, props: { imageId: item.id, accountId: account }, dependencies: deps, ...(item.from === undefined ? {} : { propertyDependencies: { imageId: [urnOf(item.from)] } }), ...at(s.owner, region) });
                }
            }
            const bySharing = targets.filter((t) => !byPermission.includes(t));
            if (bySharing.length === 0) {
                return;
            }
            const accounts = bySharing.filter((t) => principalKind(t) === "account");
            const shareResource: TestResource = {
                type: TYPES.resourceShare,
                name: `${prefix}-share`,
                props: {
                    resourceShareName: prefix,
                    allowExternalTargets: accounts.length > 0 && !accounts.every((a) => members.has(a)),
                    ...(s.encryption === "acknowledged" ? { tags: { "alicloud-sharing-unencrypted-data": "acknowledged" } } : {}),
                },
                dependencies: deps,
                ...at(s.owner, region),
            };
            out.push(shareResource);
            const link = { resourceShareId: [urnOf(shareResource)] };
            for (const item of items) {
                out.push({
                    type: TYPES.sharedResource,
                    name: `${prefix}-${s.kind}-${item.id}`,
                    props: { resourceShareId: `${prefix}-share-id`, resourceId: item.id, resourceType: RESOURCE_SHARING_TYPE[s.kind] },
                    propertyDependencies: item.from === undefined ? link : { ...link, resourceId: [urnOf(item.from)] },
                    dependencies: deps,
                    ...at(s.owner, region),
                });
            }
            for (const t of bySharing) {
                const targetId = resourceSharingTargetId(t);
                out.push({ type: TYPES.sharedTarget, name: `${prefix}-target-${targetId}`, props: { resourceShareId: `${prefix}-share-id`, targetId }, propertyDependencies: link, dependencies: deps, ...at(s.owner, region) });
            }
        };
        grant(s.el, s.region, s.items.map((id) => ({ id })));
        if (s.copyTo !== undefined) {
            const copies = s.items.map((id): TestResource => ({
                type: TYPES.imageCopy,
                name: `${s.el}-${s.copyTo}-copy-${id}`,
                props: { sourceImageId: id, sourceRegionId: s.region, ...(s.encryption === "key" ? { encrypted: true, kmsKeyId: keyOf(s.owner, s.copyTo!) } : {}) },
                ...at(s.owner, s.copyTo!),
            }));
            out.push(...copies);
            grant(`${s.el}-${s.copyTo}`, s.copyTo, copies.map((c) => ({ id: unknownId, from: c })));
        }
    }
    return out;
}
const unknownId = (jest.requireActual("../../src/testing") as typeof import("../../src/testing")).unknown.string as unknown as string;

/** The pack's verdicts on a program's resources, as rule@resource name. */
async function judged(resources: TestResource[], org: Organization): Promise<string[]> {
    const organization = ORGANIZATION(org.allowList);
    const violations = await runPolicies(policies, resources, { "sharing-recipients": { organization }, "sharing-share-contents": { organization } });
    return violations.filter((v) => v.finding !== undefined).map((v) => `${v.finding!.ruleId}@${v.finding!.subject?.name ?? ""}`);
}

/** Rules about relations between elements: compared as the rule alone (which element reports them differs by design). */
const RELATIONAL = new Set(["no-duplicates", "snapshot-account-limit", "image-account-quota", "snapshot-owner-quota", "one-role-per-name", "trust-matches-targets", "kms-grants-complete", "directory-and-accounts"]);

/**
 * The rules judged at both points, as the registry's enforcement matrix says: the others are judged at one point by
 * design (a share role managed outside the program is the pack's to find; the confirmation an unencrypted image takes is
 * a component argument no image permission can carry).
 */
const BOTH = new Set(rules.filter((r) => judgedBy(r.enforcement.components).length > 0 && judgedBy(r.enforcement.policies).length > 0).map((r) => r.id));

/** Each finding of a rule judged at both points, as its rule and element (the longest element name its subject starts with), once. */
function normalized(found: readonly string[], org: Organization): string[] {
    const elements = [...org.shares.map((s) => s.el), ...org.roles.map((r) => r.el)].sort((a, b) => b.length - a.length);
    return [...new Set(found.filter((f) => BOTH.has(f.split("@")[0])).map((f) => {
        const [rule, subject] = f.split("@");
        const element = elements.find((e) => subject === e || subject.startsWith(`${e}-`)) ?? subject;
        return RELATIONAL.has(rule) ? rule : `${rule}@${element}`;
    }))].sort();
}

/**
 * Without refusals, the two programs are one organization: the same findings. A refused component leaves the program
 * it belongs to unbuilt (pulumi stops there), so the pack's verdicts on what the others made judge another organization
 * (a role trusting the recipients of a refused share): then each element has the same findings at both points, and what
 * the components refused for its relations the pack finds in the raw program too.
 */
const property = () =>
    fc.asyncProperty(organization, async (org) => {
        const { refusals, found } = await withComponents(org);
        const raw = normalized(await judged(rawResources(org), org), org);
        const components = normalized([...refusals, ...found], org);
        if (refusals.length === 0) {
            expect(components).toEqual(raw);
        } else {
            const perElement = (list: string[]) => list.filter((f) => f.includes("@"));
            expect(perElement(components)).toEqual(perElement(raw));
            expect(normalized(refusals, org).filter((f) => !f.includes("@")).filter((f) => !raw.includes(f))).toEqual([]);
        }
    });

test("the same organization as components and as raw resources reaches the same findings", async () => {
    variant = NAMED;
    await fc.assert(property(), { numRuns: runsOf(15) });
}, 120_000);

test("the owner named nowhere, a folder-only allow-list: the same organization as components and as raw resources reaches the same findings", async () => {
    variant = UNNAMED;
    await fc.assert(property(), { numRuns: runsOf(5) });
}, 120_000);
