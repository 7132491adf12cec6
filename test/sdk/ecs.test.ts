/** Snapshot copies through Alibaba's official ECS SDK, over real HTTP, against the local emulator. */
import { copySnapshot, deleteSnapshot } from "../../src/sdk/ecs";
import { apiSettings, ApiSettings } from "../../src/sdk/settings";
import { EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, Emulator, startEmulator, THROTTLED, UNAVAILABLE } from "../support/emulator";

let emulator: Emulator;
let settings: ApiSettings;
const logs: string[] = [];
const wait = { pollIntervalMs: 5, timeoutMs: 5_000, log: (m: string) => logs.push(m) };
const request = (clientToken: string) => ({
    sourceSnapshotId: "s-source000001",
    sourceRegionId: "cn-shanghai",
    destinationRegionId: "cn-shanghai",
    kmsKeyId: "key-mine00000001",
    snapshotName: "restored",
    clientToken,
});

beforeAll(async () => {
    emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
    emulator.snapshots.clear();
    emulator.requests.splice(0);
    logs.splice(0);
    emulator.snapshots.set("s-source000001", { snapshotId: "s-source000001", regionId: "cn-shanghai", encrypted: true, kmsKeyId: "key-owner0000001", pollsLeft: 0, willFail: false });
    settings = {
        ...apiSettings({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET }, region: "cn-shanghai", endpoint: emulator.endpoint, timeoutMs: 2_000 }),
        retryBaseDelayMs: 1,
    };
});

describe("settings", () => {
    test("credentials from the environment win over the stack's alicloud config; missing ones are named", () => {
        const s = apiSettings({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "env-id", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "env-secret" }, alicloudConfig: { accessKey: "cfg-id", secretKey: "cfg-secret", region: "cn-beijing" } });
        expect([s.accessKeyId, s.accessKeySecret, s.region, s.protocol]).toEqual(["env-id", "env-secret", "cn-beijing", "https"]);
        expect(() => apiSettings({ env: {} })).toThrow(
            "cannot call Alibaba Cloud: missing an AccessKey id (ALIBABA_CLOUD_ACCESS_KEY_ID or alicloud:accessKey), an AccessKey secret (ALIBABA_CLOUD_ACCESS_KEY_SECRET or alicloud:secretKey), a region (the resource's region argument or alicloud:region).",
        );
    });
});

describe("copySnapshot", () => {
    test("copies with Encrypted and the key, waits over several polls, logging progress", async () => {
        emulator.nextCopy({ polls: 3 });
        const id = await copySnapshot(settings, request("token-1"), wait);
        expect(emulator.snapshots.get(id)).toMatchObject({ sourceSnapshotId: "s-source000001", encrypted: true, kmsKeyId: "key-mine00000001", clientToken: "token-1" });
        const copy = emulator.requests.find((r) => r.action === "CopySnapshot")!.params;
        expect([copy.RegionId, copy.SnapshotId, copy.DestinationRegionId, copy.Encrypted, copy.KMSKeyId, copy.ClientToken, copy.SignatureMethod]).toEqual([
            "cn-shanghai", "s-source000001", "cn-shanghai", "true", "key-mine00000001", "token-1", "HMAC-SHA1",
        ]);
        expect(logs).toEqual([
            `snapshot copy ${id}: progressing 25%`,
            `snapshot copy ${id}: progressing 33%`,
            `snapshot copy ${id}: progressing 50%`,
            `snapshot copy ${id}: accomplished 100%`,
        ]);
    });

    test("throttling, then a 5xx, then success: retried with backoff, one copy", async () => {
        emulator.failNext("CopySnapshot", THROTTLED, UNAVAILABLE);
        await copySnapshot(settings, request("token-2"), wait);
        expect(emulator.requests.filter((r) => r.action === "CopySnapshot")).toHaveLength(3);
        expect([...emulator.snapshots.values()].filter((s) => s.sourceSnapshotId)).toHaveLength(1);
    });

    test("a create retried after a client timeout makes exactly one copy (client token)", async () => {
        emulator.delayNext("CopySnapshot", 3_000);
        await copySnapshot({ ...settings, timeoutMs: 500 }, request("token-3"), wait);
        await new Promise((r) => setTimeout(r, 2_700));
        expect(emulator.requests.filter((r) => r.action === "CopySnapshot").length).toBeGreaterThanOrEqual(2);
        expect([...emulator.snapshots.values()].filter((s) => s.clientToken === "token-3")).toHaveLength(1);
    }, 15_000);

    test("a copy that fails is an error saying what to check", async () => {
        emulator.nextCopy({ polls: 1, fails: true });
        await expect(copySnapshot(settings, request("token-4"), wait)).rejects.toThrow(/^CopySnapshot of s-copy\d+ failed in cn-shanghai\. Check the source snapshot and the key/);
    });

    test("an unknown source snapshot: the action, the resource, the code and the fix", async () => {
        await expect(copySnapshot(settings, { ...request("token-5"), sourceSnapshotId: "s-missing00001" }, wait)).rejects.toThrow(
            "CopySnapshot on snapshot s-missing00001 (cn-shanghai -> cn-shanghai) failed with InvalidSnapshotId.NotFound: The specified snapshot s-missing00001 does not exist.. Check the snapshot id and that it is in this region",
        );
    });

    test("a wrong secret is refused by the signature check, and said so", async () => {
        await expect(copySnapshot({ ...settings, accessKeySecret: "wrong" }, request("token-6"), wait)).rejects.toThrow(/failed with SignatureDoesNotMatch: .*Check ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
    });

    test("persistent throttling gives up after the configured retries", async () => {
        emulator.failNext("CopySnapshot", THROTTLED, THROTTLED, THROTTLED);
        await expect(copySnapshot({ ...settings, maxRetries: 2 }, request("token-7"), wait)).rejects.toThrow(/failed with Throttling\.User: .*try again later/);
        expect(emulator.requests.filter((r) => r.action === "CopySnapshot")).toHaveLength(3);
    });
});

describe("deleteSnapshot", () => {
    test("deletes the copy; an already deleted one counts as deleted", async () => {
        const id = await copySnapshot(settings, request("token-8"), wait);
        await deleteSnapshot(settings, "cn-shanghai", id);
        expect(emulator.snapshots.has(id)).toBe(false);
        await expect(deleteSnapshot(settings, "cn-shanghai", id)).resolves.toBeUndefined();
    });
});

describe("credentials", () => {
    test("no request carries the secret, only the key id and the signature", async () => {
        await copySnapshot(settings, request("token-9"), wait);
        expect(emulator.requests.length).toBeGreaterThan(1);
        expect(JSON.stringify(emulator.requests)).not.toContain(EMULATOR_KEY_SECRET);
        expect(emulator.requests.every((r) => r.params.AccessKeyId === EMULATOR_KEY_ID)).toBe(true);
    });
});
