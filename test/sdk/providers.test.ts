/**
 * The dynamic providers, run as the engine runs them (create, diff, delete), through the real SDK over HTTP against
 * the emulator; and the components' registrations under mocks, with a canary: no credential in any input or output.
 */
import { installMocks, valueOf } from "../support/mocks";

const rec = installMocks();

import { SnapshotCopy, ShareAcceptance } from "../../src";
import { shareAcceptanceProvider, snapshotCopyProvider } from "../../src/components/providers";
import { EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, Emulator, startEmulator } from "../support/emulator";

let emulator: Emulator;
beforeAll(async () => {
    emulator = await startEmulator();
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = EMULATOR_KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = EMULATOR_KEY_SECRET;
});
afterAll(async () => {
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    await emulator.stop();
});

describe("snapshotCopyProvider", () => {
    test("create copies and waits; a second create with the same token finds the same copy; delete removes it", async () => {
        emulator.snapshots.set("s-source000001", { snapshotId: "s-source000001", regionId: "cn-shanghai", encrypted: true, pollsLeft: 0, willFail: false });
        emulator.nextCopy({ polls: 2 });
        const inputs = { sourceSnapshotId: "s-source000001", kmsKeyId: "key-mine00000001", region: "cn-shanghai", clientToken: "alicloud-sharing-p-s-restore", endpoint: emulator.endpoint, pollSeconds: 0.005, maxRetries: 1 };
        const first = await snapshotCopyProvider.create(inputs);
        const again = await snapshotCopyProvider.create(inputs);
        expect(again.id).toBe(first.id);
        expect([...emulator.snapshots.values()].filter((s) => s.clientToken === inputs.clientToken)).toHaveLength(1);
        expect(first.outs).toMatchObject({ snapshotId: first.id, sourceRegionId: "cn-shanghai", destinationRegionId: "cn-shanghai" });
        expect(JSON.stringify(first.outs)).not.toContain(EMULATOR_KEY_SECRET);
        expect(JSON.stringify(first.outs)).not.toContain(EMULATOR_KEY_ID);
        expect(await snapshotCopyProvider.diff!(first.id, first.outs, { ...inputs, kmsKeyId: "key-other0000001" })).toEqual({ changes: true, replaces: ["kmsKeyId"], deleteBeforeReplace: false });
        await snapshotCopyProvider.delete!(first.id, first.outs);
        expect(emulator.snapshots.has(first.id)).toBe(false);
    });
});

describe("shareAcceptanceProvider", () => {
    test("create accepts the pending invitation and reports the status; delete does nothing", async () => {
        emulator.invitations.set("i-1", { invitationId: "i-1", resourceShareId: "rs-1", senderAccountId: "1000000000000000", status: "Pending" });
        const result = await shareAcceptanceProvider.create({ resourceShareId: "rs-1", region: "cn-shanghai", endpoint: emulator.endpoint });
        expect(result).toEqual({ id: "rs-1:accepted", outs: { resourceShareId: "rs-1", region: "cn-shanghai", endpoint: emulator.endpoint, status: "Accepted", invitationId: "i-1" } });
        const before = emulator.requests.length;
        await shareAcceptanceProvider.delete!(result.id, result.outs);
        expect(emulator.requests.length).toBe(before);
    });
    test("with no credential anywhere, the error says where to put one", async () => {
        delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
        try {
            await expect(shareAcceptanceProvider.create({ resourceShareId: "rs-1", region: "cn-shanghai", endpoint: emulator.endpoint })).rejects.toThrow(
                "cannot call Alibaba Cloud: missing an AccessKey secret (ALIBABA_CLOUD_ACCESS_KEY_SECRET or alicloud:secretKey).",
            );
        } finally {
            process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = EMULATOR_KEY_SECRET;
        }
    });
});

describe("the components under mocks", () => {
    test("SnapshotCopy and ShareAcceptance register dynamic resources with no credential in any input or output", async () => {
        const copy = new SnapshotCopy("restore", { sourceSnapshotId: "s-shared000001", kmsKeyId: "key-mine00000001", sourceKmsKeyId: "key-owner0000001" });
        const acceptance = new ShareAcceptance("accept", { resourceShareId: "rs-1" });
        await valueOf(copy.urn);
        await valueOf(acceptance.urn);
        await rec.settle();
        const dynamic = rec.registrations.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
        expect(dynamic.map((r) => r.name).sort()).toEqual(["accept-acceptance", "restore-copy"]);
        expect(dynamic.find((r) => r.name === "restore-copy")!.inputs).toMatchObject({ sourceSnapshotId: "s-shared000001", kmsKeyId: "key-mine00000001", clientToken: "alicloud-sharing-project-stack-restore" });
        const everything = JSON.stringify(rec.registrations);
        expect(everything).not.toContain(EMULATOR_KEY_SECRET);
        expect(everything).not.toContain(EMULATOR_KEY_ID);
    });
    test("SnapshotCopy refuses the source's own key (C12) before anything is registered", async () => {
        rec.clear();
        expect(() => new SnapshotCopy("same", { sourceSnapshotId: "s-shared000001", kmsKeyId: "key-owner0000001", sourceKmsKeyId: "key-owner0000001" })).toThrow(
            /\[C8, C12\] key key-owner0000001 is the source snapshot's own key\..*\(rule copy-key\)/,
        );
        await rec.settle();
        expect(rec.registrations).toEqual([]);
    });
});
