/** SharedSnapshot copying service-key snapshots first (C8), and SharedSnapshotDisk copying a shared snapshot first (C11, C12). */
import { installMocks, nameOf, shape, T, valueOf } from "../support/mocks";

const rec = installMocks();

import { SharedSnapshot, SharedSnapshotDisk } from "../../src";
import { resetProgramGraphs as resetShareRoleClaims } from "../../src/components/programGraph";
import { snapshotCopyProvider } from "../../src/components/providers";
import { EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, startEmulator } from "../support/emulator";

const DYNAMIC = "pulumi-nodejs:dynamic/alicloud-sharing:Resource";
const COPY = "alicloud-sharing:index:SnapshotCopy";
const KEY = "key-abcdefgh12345678";

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetShareRoleClaims();
});

test("service-key snapshots with copyServiceKeySnapshots: copied with the key, and the copies are shared", async () => {
    const share = new SharedSnapshot("dr", { snapshotIds: ["s-aaaa0001", "s-aaaa0002"], serviceKeyEncrypted: true, copyServiceKeySnapshots: true, kmsKeyId: KEY, accountIds: ["2222222222222222"] });
    await valueOf(share.resourceShareId);
    await rec.settle();
    expect(shape(rec.registrations.filter((r) => r.type === COPY || r.type === DYNAMIC))).toEqual(
        [`${COPY} dr-copy-s-aaaa0001`, `${COPY} dr-copy-s-aaaa0002`, `${DYNAMIC} dr-copy-s-aaaa0001-copy`, `${DYNAMIC} dr-copy-s-aaaa0002-copy`].sort(),
    );
    expect(rec.byName("dr-copy-s-aaaa0001-copy").inputs).toMatchObject({ sourceSnapshotId: "s-aaaa0001", kmsKeyId: KEY });
    const shared = rec.resources(T.resource);
    expect(shared.map((r) => r.name).sort()).toEqual(["dr-snapshot-s-aaaa0001", "dr-snapshot-s-aaaa0002"]);
    expect(shared[0].propertyDependencies.resourceId.map(nameOf)).toEqual([`${shared[0].name.replace("dr-snapshot-", "dr-copy-")}-copy`]);
    expect(rec.byName("dr-share-role-role").inputs.roleName).toBe("AliyunECSShareEncryptSnapshotDefaultRole");
});

test("the copies of one SharedSnapshot, created in parallel by their provider from the registered inputs, are two copies, each of its own source", async () => {
    const share = new SharedSnapshot("par", { snapshotIds: ["s-aaaa0001", "s-aaaa0002"], serviceKeyEncrypted: true, copyServiceKeySnapshots: true, kmsKeyId: KEY, accountIds: ["2222222222222222"] });
    await valueOf(share.resourceShareId);
    await rec.settle();
    const emulator = await startEmulator();
    const saved = { id: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, secret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET };
    Object.assign(process.env, { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET });
    const info = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
        for (const id of ["s-aaaa0001", "s-aaaa0002"]) emulator.snapshots.set(id, { snapshotId: id, regionId: "cn-hangzhou", encrypted: false, pollsLeft: 0, willFail: false });
        const created = await Promise.all(
            ["par-copy-s-aaaa0001-copy", "par-copy-s-aaaa0002-copy"].map(async (name) => {
                const { __provider, ...registered } = rec.byName(name).inputs;
                const { inputs } = await snapshotCopyProvider.check!({}, { ...registered, sourceRegionId: "cn-hangzhou", endpoint: emulator.endpoint, pollSeconds: 0.002 });
                return snapshotCopyProvider.create(inputs);
            }),
        );
        expect(created.map((c) => emulator.snapshots.get(c.id)!.sourceSnapshotId)).toEqual(["s-aaaa0001", "s-aaaa0002"]);
        expect(new Set(emulator.requests.filter((r) => r.action === "CopySnapshot").map((r) => r.params.ClientToken)).size).toBe(2);
    } finally {
        info.mockRestore();
        Object.assign(process.env, { ALIBABA_CLOUD_ACCESS_KEY_ID: saved.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: saved.secret });
        if (saved.id === undefined) delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
        if (saved.secret === undefined) delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
        await emulator.stop();
    }
});

test("service-key snapshots without the copy argument are still refused with the remedy (C8)", () => {
    expect(() => new SharedSnapshot("dr2", { snapshotIds: ["s-aaaa0001"], serviceKeyEncrypted: true, kmsKeyId: KEY, accountIds: ["2222222222222222"] })).toThrow(/\[C8\].*copyServiceKeySnapshots|\[C8\] snapshots encrypted with the service key/);
});

test("a disk of a non-ESSD category from a shared snapshot, copied first with the sharee's key", async () => {
    const disk = new SharedSnapshotDisk("restore", { snapshotId: "s-shared000001", zoneId: "z", category: "cloud_efficiency", kmsKeyId: "key-mine00000001", sourceKmsKeyId: KEY, copyFirst: true });
    await valueOf(disk.diskId);
    await rec.settle();
    expect(rec.byName("restore-copy-copy").inputs).toMatchObject({ sourceSnapshotId: "s-shared000001", kmsKeyId: "key-mine00000001" });
    expect(rec.byName("restore-disk").inputs).toMatchObject({ category: "cloud_efficiency", encrypted: true, kmsKeyId: "key-mine00000001" });
    expect(rec.byName("restore-disk").inputs.tags).toBeUndefined();
    expect(rec.byName("restore-disk").propertyDependencies.snapshotId.map(nameOf)).toEqual(["restore-copy-copy"]);
    expect(() => new SharedSnapshotDisk("same", { snapshotId: "s-shared000001", zoneId: "z", category: "cloud_efficiency", kmsKeyId: KEY, sourceKmsKeyId: KEY, copyFirst: true })).toThrow(/\[C11\] key key-abcdefgh12345678 is the shared snapshot's own key/);
});
