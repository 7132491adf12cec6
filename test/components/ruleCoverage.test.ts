import * as pulumi from "@pulumi/pulumi";
import { installMocks, OWNER, withLibraryConfig } from "../support/mocks";

const rec = installMocks();

import { EncryptedShareRole, SharedImage, SharedSnapshot, SharedSnapshotDisk, ShareeImageAccess, SnapshotCopy, rules } from "../../src";
import { findingsOfError, judgedBy, reasonOf } from "../../src/rules";
import { resetProgramState } from "../../src/components/programState";

const A = "2222222222222222";
const KEY = "key-abcdefgh12345678";
const snap = { snapshotIds: ["s-aaaa0001"], accountIds: [A] };
const img = { imageIds: ["m-aaaa0001"], accountIds: [A], unencryptedDataAcknowledged: true };
/** An encrypted image share: no acknowledgement of unencrypted data (which would contradict the key, S8). */
const encImg = { imageIds: ["m-aaaa0001"], accountIds: [A] };
const many = (n: number) => Array.from({ length: n }, (_, i) => String(8000000000000000 + i));
const withConfig = (key: string, value: unknown, build: () => void) => () => withLibraryConfig({ [key]: value }, build);

/** For each rule a component can break: arguments that break it. */
const failing: Record<string, () => void> = {
    "arguments-well-formed": () => new SharedSnapshot("r", { ...snap, accountIds: "2222222222222222" as unknown as string[] }),
    "share-not-empty": () => new SharedSnapshot("r", { snapshotIds: [], accountIds: [A] }),
    "principal-format": () => new SharedSnapshot("r", { ...snap, accountIds: ["alice@example.com"] }),
    "not-own-account": () => new SharedSnapshot("r", { ...snap, accountIds: [OWNER], ownerAccountId: OWNER }),
    "same-site": withConfig("accountSites", { [OWNER]: "international", [A]: "china" }, () => new SharedSnapshot("r", { ...snap, ownerAccountId: OWNER })),
    "no-duplicates": () => new SharedSnapshot("r", { ...snap, accountIds: [A, A] }),
    "owner-account-format": () => new SharedSnapshot("r", { ...snap, ownerAccountId: "root" }),
    "owner-account-matches-provider": () => {
        // The default provider names the stack config's alicloud:accountId.
        const before = pulumi.runtime.allConfig();
        pulumi.runtime.setConfig("alicloud:accountId", OWNER);
        try {
            new SharedSnapshot("r", { ...snap, ownerAccountId: "3333333333333333" });
        } finally {
            pulumi.runtime.setAllConfig(before);
        }
    },
    "resource-id-format": () => new SharedImage("r", { ...img, imageIds: ["ubuntu_22_04"] }),
    "kms-key-format": () => new SharedSnapshot("r", { ...snap, kmsKeyId: "alias/backups" }),
    "region-format": () => new SharedSnapshot("r", { ...snap, region: "Hangzhou" }),
    "grant-method": () => new SharedImage("r", { ...img, method: "console" }),
    "snapshot-account-limit": () => new SharedSnapshot("r", { ...snap, accountIds: many(65) }),
    "snapshot-owner-quota": withConfig("sharedSnapshotsInUse", 1024, () => new SharedSnapshot("r", snap)),
    "snapshot-service-key": () => new SharedSnapshot("r", { ...snap, serviceKeyEncrypted: true }),
    "no-reshare": () => new SharedImage("r", { ...img, sharedWithThisAccount: true }),
    "disk-from-shared-encrypted-snapshot": () => new SharedSnapshotDisk("r", { snapshotId: "s-aaaa0001", zoneId: "z", category: "cloud_ssd", kmsKeyId: KEY }),
    "image-account-quota": () => new SharedImage("r", { ...img, accountIds: many(51) }),
    "image-copy-regions": () => new SharedImage("r", { ...img, region: "cn-shanghai", copyToRegions: ["cn-shanghai"] }),
    "encrypted-image-region": () => new SharedImage("r", { ...encImg, region: "us-west-1", kmsKeyId: KEY }),
    "image-service-key": () => new SharedImage("r", { ...encImg, serviceKeyEncrypted: true }),
    "unencrypted-image-acknowledged": () => new SharedImage("r", { ...img, unencryptedDataAcknowledged: false }),
    "sharee-image-access": () => new ShareeImageAccess("r", { roleNames: ["not a role"] }),
    "share-name": () => new SharedSnapshot("r", { ...snap, shareName: "" }),
    "share-role-name": () => new EncryptedShareRole("r", { resourceKind: "Snapshot", kmsKeyId: KEY, accountIds: [A] }),
    "key-in-share-region": () => new SharedSnapshot("r", { ...snap, kmsKeyId: KEY, kmsKeyRegion: "cn-hangzhou", region: "cn-shanghai" }),
    "external-targets": () => new SharedSnapshot("r", { ...snap, accountsInResourceDirectory: true }),
    "copy-region-providers": () => {
        const { Provider } = jest.requireActual("@pulumi/alicloud/provider") as typeof import("@pulumi/alicloud/provider");
        new SharedImage("r", { ...img, region: "cn-shanghai", copyToRegions: ["cn-beijing"] }, { provider: new Provider("mine", { region: "cn-shanghai" }) });
    },
    "one-role-per-name": () => {
        new EncryptedShareRole("first", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A] });
        new SharedImage("r", { ...encImg, region: "cn-shanghai", kmsKeyId: KEY });
    },
    "trust-matches-targets": () => new EncryptedShareRole("r", { resourceKind: "image", kmsKeyId: KEY }),
    "recipients-allowed": withConfig("allowedRecipients", { accountIds: ["9999999999999999"] }, () => new SharedSnapshot("r", snap)),
    "trusted-principals-allowed": withConfig("allowedRecipients", { accountIds: ["9999999999999999"] }, () => new EncryptedShareRole("r", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A] })),
    "copy-key": () => new SnapshotCopy("r", { sourceSnapshotId: "s-aaaa0001", kmsKeyId: KEY, sourceKmsKeyId: KEY }),
    "ram-document-limits": () => new EncryptedShareRole("r", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A], maxSessionDuration: 86400 }),
};

/** Rules a component judges only when every value is known, at deploy time: tested in deployTime.test.ts. */
const atDeployTime: Record<string, string> = {
    "region-matches-provider": "the region of a provider passed in is known only when the provider answers (deployTime.test.ts, scenario provider)",
};

/** Rules that warn instead of failing, and arguments that make them warn. */
const warning: Record<string, () => void> = {
    "directory-and-accounts": () => new SharedImage("r", { ...img, resourceDirectoryId: "rd-abc" }),
    "paid-image": () => new SharedImage("r", { ...img, derivedFromPaidImage: true }),
    "unencrypted-snapshot-acknowledged": () => new SharedSnapshot("r", snap),
};

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

test("the registry's matrix holds here: each rule it says a component judges is broken by arguments, warned about, or judged at deploy time; the others give a reason", () => {
    const judged = rules.filter((r) => judgedBy(r.enforcement.components).length > 0).map((r) => r.id).sort();
    expect([...Object.keys(failing), ...Object.keys(warning), ...Object.keys(atDeployTime)].sort()).toEqual(judged);
    expect(rules.filter((r) => !judged.includes(r.id)).every((r) => (reasonOf(r.enforcement.components) ?? "").length > 0)).toBe(true);
});

describe.each(Object.entries(failing))("rule %s at construction", (id, build) => {
    test("raises an InputPropertiesError carrying the rule's finding, from a component the matrix names", () => {
        const rule = rules.find((r) => r.id === id)!;
        let error: unknown;
        try {
            build();
        } catch (e) {
            error = e;
        }
        expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
        const reasons = (error as pulumi.InputPropertiesError).errors.map((e) => e.reason);
        expect(reasons.some((r) => r.startsWith(`[${rule.constraints.join(", ")}] `) && r.endsWith(`(rule ${id})`))).toBe(true);
        const finding = findingsOfError(error)!.find((f) => f.ruleId === id)!;
        expect(judgedBy<string>(rule.enforcement.components)).toContain(finding.subject!.type.split(":").pop());
    });
});

describe.each(Object.entries(warning))("rule %s at construction", (id, build) => {
    test("logs a warning on the component naming the rule, and builds", async () => {
        const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
        build();
        await rec.settle();
        expect(warn.mock.calls.filter((c) => String(c[0]).endsWith(`(rule ${id})`)).map((c) => (c[1] as unknown as { __name: string }).__name)).toEqual(["r"]);
        expect(rec.resources().length).toBeGreaterThan(0);
        warn.mockRestore();
    });
});
