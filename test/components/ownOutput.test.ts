/**
 * The library's own output passes its own pack: for random valid arguments of every component, the resources the
 * program registers (as the engine would receive them) get no mandatory violation from any policy of the pack.
 * A property, not a hope: fast-check draws the programs; a failure prints the smallest one it finds.
 */
import { runsOf } from "../support/fuzz";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { asPolicyResources, installMocks, REGION } from "../support/mocks";

const rec = installMocks();

import { EncryptedShareRole, SharedImage, SharedSnapshot, SharedSnapshotDisk, ShareeImageAccess, SnapshotCopy } from "../../src";
import { DEFAULT_LIMITS } from "../../src/alibaba/limits";
import { resetProgramState } from "../../src/components/programState";
import { exemptionsInUse, policies } from "../../src/policy";
import { defaultProviderOf } from "../../src/preview/resources";
import { runPolicies } from "../../src/testing";

const token = fc.stringMatching(/^[a-z0-9]{4,10}$/);
const account = fc.integer({ min: 2_000_000_000_000_000, max: 9_000_000_000_000_000 }).map(String);
const key = token.map((t) => `key-${t}0000`);
const encryptedRegions = DEFAULT_LIMITS.encryptedImageRegions;
const anyRegion = fc.constantFrom(...encryptedRegions, "cn-hangzhou", "eu-central-1", "rus-west-1");
const folderPath = fc.tuple(token, token, fc.array(token, { minLength: 0, maxLength: 2 })).map(([d, r, f]) => [`rd-${d}`, `r-${r}`, ...f.map((x) => `fd-${x}`)].join("/"));

/** Valid recipients: at least one, each kind at most once, accounts unique and never the owner. */
const recipients = fc
    .record(
        {
            accountIds: fc.uniqueArray(account, { maxLength: 3 }),
            resourceDirectoryId: token.map((t) => `rd-${t}`),
            folderPaths: fc.uniqueArray(folderPath, { maxLength: 3 }),
        },
        { requiredKeys: [] },
    )
    .filter((r) => (r.accountIds ?? []).length + (r.resourceDirectoryId === undefined ? 0 : 1) + (r.folderPaths ?? []).length > 0);

const snapshotShare = fc.record({
    snapshotIds: fc.uniqueArray(token.map((t) => `s-${t}`), { minLength: 1, maxLength: 3 }),
    recipients,
    encrypted: fc.option(key, { nil: undefined }),
    region: fc.option(anyRegion, { nil: undefined }),
    shareName: fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,50}$/), { nil: undefined }),
    protect: fc.boolean(),
    explicitRole: fc.boolean(),
    membersInDirectory: fc.boolean(),
});

const imageShare = fc.record({
    imageIds: fc.uniqueArray(token.map((t) => `m-${t}`), { minLength: 1, maxLength: 2 }),
    recipients,
    encrypted: fc.option(key, { nil: undefined }),
    region: fc.constantFrom(...encryptedRegions),
    copyToRegions: fc.subarray([...encryptedRegions], { maxLength: 2 }),
    method: fc.constantFrom("resourceShare", "imagePermission"),
    derivedFromPaidImage: fc.boolean(),
    explicitRole: fc.boolean(),
});

const sharee = fc.record({
    disk: fc.option(fc.record({ snapshotId: token.map((t) => `s-${t}`), encrypted: fc.boolean(), copyFirst: fc.boolean(), category: fc.constantFrom(...DEFAULT_LIMITS.essdCategories) }), { nil: undefined }),
    access: fc.option(fc.record({ userNames: fc.uniqueArray(token, { maxLength: 2 }), roleNames: fc.uniqueArray(token, { minLength: 1, maxLength: 2 }), allowLaunch: fc.boolean() }), { nil: undefined }),
    copy: fc.option(token.map((t) => `s-${t}`), { nil: undefined }),
});

const program = fc.record({ snapshots: fc.option(snapshotShare, { nil: undefined }), images: fc.option(imageShare, { nil: undefined }), sharee, stackRegion: fc.option(fc.constantFrom(...encryptedRegions, REGION), { nil: undefined }) });

type Program = typeof program extends fc.Arbitrary<infer P> ? P : never;

/** Builds the program; returns the policy config that says what the program's stack config says (shared settings). */
function build(p: Program): Record<string, unknown> {
    const members = p.snapshots?.membersInDirectory ? (p.snapshots.recipients.accountIds ?? []) : [];
    const stackConfig: Record<string, string> = { ...(p.stackRegion === undefined ? {} : { "alicloud:region": p.stackRegion }) };
    if (members.length > 0) {
        stackConfig["alicloud-sharing:resourceDirectoryAccountIds"] = JSON.stringify(members);
    }
    pulumi.runtime.setAllConfig(stackConfig);
    if (p.snapshots !== undefined) {
        const s = p.snapshots;
        const region = s.region ?? p.stackRegion ?? REGION;
        if (s.encrypted !== undefined && s.explicitRole) {
            new EncryptedShareRole("snap-role", { resourceKind: "snapshot", kmsKeyId: s.encrypted, kmsKeyRegion: region, ...s.recipients });
        }
        new SharedSnapshot("snaps", {
            snapshotIds: s.snapshotIds,
            ...s.recipients,
            kmsKeyId: s.encrypted,
            region: s.region,
            shareName: s.shareName,
            protect: s.protect,
            createShareRole: s.encrypted !== undefined && s.explicitRole ? false : undefined,
            accountsInResourceDirectory: members.length > 0 ? true : undefined,
        });
    }
    if (p.images !== undefined) {
        const i = p.images;
        const copyToRegions = i.copyToRegions.filter((r) => r !== i.region);
        const copyKmsKeyIds = i.encrypted === undefined ? undefined : Object.fromEntries(copyToRegions.map((r) => [r, `key-${r.replace(/-/g, "")}0001`]));
        if (i.encrypted !== undefined && i.explicitRole) {
            new EncryptedShareRole("image-role", {
                resourceKind: "image",
                kmsKeyId: i.encrypted,
                kmsKeyRegion: i.region,
                additionalKmsKeys: Object.entries(copyKmsKeyIds ?? {}).map(([region, keyId]) => ({ keyId, region })),
                ...i.recipients,
            });
        }
        new SharedImage("images", {
            imageIds: i.imageIds,
            ...i.recipients,
            kmsKeyId: i.encrypted,
            region: i.region,
            copyToRegions,
            copyKmsKeyIds,
            method: i.method,
            unencryptedDataAcknowledged: i.encrypted === undefined ? true : undefined,
            derivedFromPaidImage: i.derivedFromPaidImage,
            createShareRole: i.encrypted !== undefined && i.explicitRole ? false : undefined,
        });
    }
    const { disk, access, copy } = p.sharee;
    if (disk !== undefined) {
        new SharedSnapshotDisk("restore", {
            snapshotId: disk.snapshotId,
            zoneId: "zone-a",
            sourceEncrypted: disk.encrypted,
            kmsKeyId: disk.encrypted || disk.copyFirst ? "key-mine00000001" : undefined,
            category: disk.category,
            copyFirst: disk.copyFirst && disk.encrypted,
        });
    }
    if (access !== undefined) {
        new ShareeImageAccess("access", access);
    }
    if (copy !== undefined) {
        new SnapshotCopy("copy", { sourceSnapshotId: copy, kmsKeyId: "key-mycopy0000001" });
    }
    return members.length > 0 ? { "sharing-share-contents": { resourceDirectoryAccountIds: members } } : {};
}

test("for random valid arguments of every component, the captured resources get no mandatory violation from any policy", async () => {
    // Warnings (C22, C26) are logged on the components; they are not what this property is about.
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    // The SDK records a stack trace for every promise it makes, which jest's source maps make slow: none are needed here.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    await fc.assert(
        fc.asyncProperty(program, async (p) => {
            await rec.settle();
            rec.clear();
            resetProgramState();
            exemptionsInUse.clear();
            const config = build(p);
            await rec.settle();
            const violations = await runPolicies(policies, asPolicyResources(rec.registrations, defaultProviderOf("project", "stack", p.stackRegion ?? REGION)), config);
            const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message);
            expect(mandatory).toEqual([]);
            expect(rec.resources().length).toBeGreaterThan(0);
        }),
        { numRuns: runsOf(30), endOnFailure: true },
    );
    Error.stackTraceLimit = stackTraceLimit;
    warn.mockRestore();
    pulumi.runtime.setAllConfig({});
}, 120_000);

test("the property can fail: a program the pack must refuse is refused", async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
    const { TYPES } = await import("../../src/alibaba/resourceTypes");
    const { ResourceShare, SharedTarget } = await import("@pulumi/alicloud/resourcemanager");
    const share = new ResourceShare("raw", { resourceShareName: "raw", allowExternalTargets: false });
    new SharedTarget("raw-target", { resourceShareId: share.id, targetId: "3333333333333333" });
    new SharedTarget("raw-user", { resourceShareId: share.id, targetId: "bob" });
    await rec.settle();
    const violations = await runPolicies(policies, asPolicyResources(rec.registrations));
    expect(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.finding?.ruleId}@${v.finding?.subject?.type === TYPES.sharedTarget ? "target" : "share"}`)).toEqual([
        "principal-format@target",
        "external-targets@share",
    ]);
});
