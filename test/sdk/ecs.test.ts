/** Snapshot copies through Alibaba's official ECS SDK, over real HTTP, against the local emulator. */
import { AlibabaApiError } from "../../src/sdk/errors";
import { copyClientToken, copySnapshot, deleteSnapshot } from "../../src/sdk/ecs";
import { apiSettings, ApiSettings } from "../../src/sdk/settings";
import { ECHO, EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, EMULATOR_SECURITY_TOKEN, Emulator, HTML_502, RESET, startEmulator, THROTTLED, TRUNCATED_200, UNAVAILABLE } from "../support/emulator";

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
const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET };
const settingsWith = (extra: Record<string, string>, timeoutMs = 2_000): ApiSettings => ({
    ...apiSettings({ env: { ...env, ...extra }, region: "cn-shanghai", endpoint: emulator.endpoint, timeoutMs }),
    retryBaseDelayMs: 1,
});
const calls = (action: string) => emulator.requests.filter((r) => r.action === action).length;
const copies = () => [...emulator.snapshots.values()].filter((s) => s.sourceSnapshotId !== undefined);

beforeAll(async () => {
    emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
    emulator.snapshots.clear();
    emulator.requests.splice(0);
    logs.splice(0);
    emulator.snapshots.set("s-source000001", { snapshotId: "s-source000001", regionId: "cn-shanghai", encrypted: true, kmsKeyId: "key-owner0000001", pollsLeft: 0, willFail: false });
    settings = settingsWith({});
});

describe("settings", () => {
    test("the environment's AccessKey pair (and STS token) sign; the region comes from the resource, else ALIBABA_CLOUD_REGION_ID", async () => {
        const s = apiSettings({ env: { ...env, ALIBABA_CLOUD_SECURITY_TOKEN: "CAIS-token", ALIBABA_CLOUD_REGION_ID: "cn-beijing" } });
        const c = await s.credential.getCredential();
        expect([c.accessKeyId, c.accessKeySecret, c.securityToken, s.region, s.protocol, s.timeoutMs, s.maxRetries, s.retryBaseDelayMs, s.retryMaxDelayMs]).toEqual([
            EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, "CAIS-token", "cn-beijing", "https", 30_000, 5, 200, 20_000,
        ]);
        expect(apiSettings({ env, region: "cn-shanghai" }).region).toBe("cn-shanghai");
        expect(() => apiSettings({ env: {} })).toThrow("cannot call Alibaba Cloud: missing a region (the resource's region argument, the stack's alicloud:region, or ALIBABA_CLOUD_REGION_ID).");
    });
});

describe("copyClientToken", () => {
    const identity = { scope: "urn:pulumi:dev::p::alicloud-sharing:index:SnapshotCopy::a", generation: 0, sourceSnapshotId: "s-1", sourceRegionId: "cn-shanghai", destinationRegionId: "cn-hangzhou", kmsKeyId: "key-1" };
    test("64 ASCII characters (the API's limit), the same for the same intended copy in every run, another for anything else", () => {
        const token = copyClientToken(identity);
        expect(token).toMatch(/^[0-9a-f]{64}$/);
        expect(copyClientToken({ ...identity })).toBe(token);
        const others = [
            { scope: "urn:pulumi:dev::p::alicloud-sharing:index:SnapshotCopy::b" },
            { generation: 1 },
            { sourceSnapshotId: "s-2" },
            { sourceRegionId: "cn-beijing" },
            { destinationRegionId: "cn-beijing" },
            { kmsKeyId: "key-2" },
            { snapshotName: "x" },
        ].map((o) => copyClientToken({ ...identity, ...o }));
        expect(new Set([token, ...others]).size).toBe(8);
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
        expect(calls("CopySnapshot")).toBe(3);
        expect(copies()).toHaveLength(1);
    });

    test("a gateway's HTML 502 and a reset connection are retried: one copy", async () => {
        emulator.failNext("CopySnapshot", HTML_502, RESET);
        const id = await copySnapshot(settings, request("token-html"), wait);
        expect(calls("CopySnapshot")).toBe(3);
        expect(copies().map((s) => s.snapshotId)).toEqual([id]);
    });

    test("a truncated 200 after the copy started is retried with the same token: exactly one copy, the first one's id", async () => {
        emulator.loseAnswerOfNext("CopySnapshot", TRUNCATED_200);
        const id = await copySnapshot(settings, request("token-cut"), wait);
        expect(calls("CopySnapshot")).toBe(2);
        expect(copies().map((s) => [s.snapshotId, s.clientToken])).toEqual([[id, "token-cut"]]);
    });

    test("a create retried after a client timeout makes exactly one copy (client token)", async () => {
        emulator.delayNext("CopySnapshot", 600);
        const id = await copySnapshot({ ...settings, timeoutMs: 300 }, request("token-3"), wait);
        await emulator.idle();
        expect(calls("CopySnapshot")).toBe(2);
        expect(copies().map((s) => [s.snapshotId, s.clientToken])).toEqual([[id, "token-3"]]);
    });

    test("a copy that ends failed is deleted before the error, which says so and what to check", async () => {
        emulator.nextCopy({ polls: 1, fails: true });
        const error: AlibabaApiError = await copySnapshot(settings, request("token-4"), wait).catch((e) => e);
        const id = emulator.requests.find((r) => r.action === "DeleteSnapshot")!.params.SnapshotId;
        expect(error).toBeInstanceOf(AlibabaApiError);
        expect(error.message).toBe(
            `CopySnapshot on snapshot copy ${id} (cn-shanghai) failed with SnapshotCopyFailed: the copy ended failed. The failed copy ${id} was deleted. ` +
                "Check the source snapshot and the key (a key of the destination region, usable by ECS), then create the copy again.",
        );
        expect([error.code, error.retryable]).toEqual(["SnapshotCopyFailed", false]);
        expect(emulator.requests.map((r) => r.action)).toEqual(["CopySnapshot", "DescribeSnapshots", "DescribeSnapshots", "DeleteSnapshot"]);
        expect(copies()).toEqual([]);
    });

    test("an unknown source snapshot: an AlibabaApiError with the action, the resource, the code, the fix, the request id and status", async () => {
        const error: AlibabaApiError = await copySnapshot(settings, { ...request("token-5"), sourceSnapshotId: "s-missing00001" }, wait).catch((e) => e);
        expect(error).toBeInstanceOf(AlibabaApiError);
        expect(error.message).toBe(
            "CopySnapshot on snapshot s-missing00001 (cn-shanghai -> cn-shanghai) failed with InvalidSnapshotId.NotFound: The specified snapshot s-missing00001 does not exist. " +
                "Check the snapshot id and that it is in this region (and, if shared with you, that the share was accepted).",
        );
        expect({ ...error }).toEqual({
            name: "AlibabaApiError",
            action: "CopySnapshot",
            resource: "snapshot s-missing00001 (cn-shanghai -> cn-shanghai)",
            code: "InvalidSnapshotId.NotFound",
            detail: "The specified snapshot s-missing00001 does not exist.",
            fix: "Check the snapshot id and that it is in this region (and, if shared with you, that the share was accepted).",
            retryable: false,
            requestId: expect.stringMatching(/^req-\d+$/),
            statusCode: 404,
        });
        expect(calls("CopySnapshot")).toBe(1);
    });

    test("a wrong secret is refused by the signature check, and said so", async () => {
        await expect(copySnapshot(settingsWith({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong" }), request("token-6"), wait)).rejects.toThrow(
            /failed with SignatureDoesNotMatch: .*Check ALIBABA_CLOUD_ACCESS_KEY_SECRET/,
        );
    });

    test("persistent throttling gives up after the configured retries", async () => {
        emulator.failNext("CopySnapshot", THROTTLED, THROTTLED, THROTTLED);
        const error: AlibabaApiError = await copySnapshot({ ...settings, maxRetries: 2 }, request("token-7"), wait).catch((e) => e);
        expect(error.message).toBe(
            "CopySnapshot on snapshot s-source000001 (cn-shanghai -> cn-shanghai) failed with Throttling.User: Request was denied due to user flow control. The service kept failing after retries; try again later.",
        );
        expect([error.retryable, error.statusCode]).toEqual([true, 400]);
        expect(calls("CopySnapshot")).toBe(3);
    });

    test("HTML 502s until the retries run out: InvalidResponse, retryable, saying what came back", async () => {
        emulator.failNext("CopySnapshot", HTML_502, HTML_502);
        const error: AlibabaApiError = await copySnapshot({ ...settings, maxRetries: 1 }, request("token-8"), wait).catch((e) => e);
        expect([error.code, error.retryable]).toEqual(["InvalidResponse", true]);
        expect(error.message).toMatch(/^CopySnapshot on snapshot s-source000001 \(cn-shanghai -> cn-shanghai\) failed with InvalidResponse: the answer was not the API's JSON \(Unexpected token '<'/);
        expect(calls("CopySnapshot")).toBe(2);
    });
});

describe("deleteSnapshot", () => {
    test("deletes the copy; an already deleted one counts as deleted", async () => {
        const id = await copySnapshot(settings, request("token-9"), wait);
        await deleteSnapshot(settings, "cn-shanghai", id);
        expect(emulator.snapshots.has(id)).toBe(false);
        await expect(deleteSnapshot(settings, "cn-shanghai", id)).resolves.toBeUndefined();
        expect(calls("DeleteSnapshot")).toBe(2);
    });
});

describe("credentials", () => {
    test("no request carries the secret, only the key id and the signature", async () => {
        await copySnapshot(settings, request("token-10"), wait);
        expect(emulator.requests.length).toBeGreaterThan(1);
        expect(JSON.stringify(emulator.requests)).not.toContain(EMULATOR_KEY_SECRET);
        expect(emulator.requests.every((r) => r.params.AccessKeyId === EMULATOR_KEY_ID)).toBe(true);
    });

    test("an error that echoes the request (string-to-sign, signature, AccessKeyId, STS token) shows none of them", async () => {
        const sts = settingsWith({ ALIBABA_CLOUD_SECURITY_TOKEN: EMULATOR_SECURITY_TOKEN });
        emulator.failNext("CopySnapshot", ECHO);
        const error: AlibabaApiError = await copySnapshot(sts, request("token-11"), wait).catch((e) => e);
        const sent = emulator.requests[0];
        expect(sent.params.SecurityToken).toBe(EMULATOR_SECURITY_TOKEN);
        // The request as the emulator echoed it, with what must not show redacted.
        const shown: [string, string][] = [
            ["Action", "CopySnapshot"], ["Format", "json"], ["Version", "2014-05-26"], ["Timestamp", sent.params.Timestamp], ["SignatureNonce", sent.params.SignatureNonce],
            ["ClientToken", "token-11"], ["DestinationRegionId", "cn-shanghai"], ["DestinationSnapshotName", "restored"], ["Encrypted", "true"], ["KMSKeyId", "key-mine00000001"],
            ["RegionId", "cn-shanghai"], ["SnapshotId", "s-source000001"],
            ["Tag.1.Key", "alicloud-sharing:copy-token"], ["Tag.1.Value", "token-11"], ["Tag.2.Key", "alicloud-sharing:copy-state"], ["Tag.2.Value", "copying"],
            ["SecurityToken", "[redacted]"], ["SignatureMethod", "HMAC-SHA1"], ["SignatureVersion", "1.0"],
            ["AccessKeyId", "[redacted]"], ["Signature", "[redacted]"],
        ];
        const query = shown.map(([k, v]) => `${k}=${v.startsWith("[") ? v : encodeURIComponent(v)}`).join("&");
        expect(error.message).toBe(
            "CopySnapshot on snapshot s-source000001 (cn-shanghai -> cn-shanghai) failed with SignatureDoesNotMatch: Specified signature is not matched with our calculation. " +
                `server string to sign is:[redacted] The request was: POST /?${query} ${JSON.stringify(Object.fromEntries(shown))}. ` +
                "Check ALIBABA_CLOUD_ACCESS_KEY_SECRET (or the secret of the credential chain's profile).",
        );
        const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
        for (const secret of [EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, EMULATOR_SECURITY_TOKEN, sent.signature, encodeURIComponent(sent.signature)]) {
            expect(everything).not.toContain(secret);
        }
    });

    test("a client timeout whose SDK message holds the whole signed URL shows none of it", async () => {
        const sts = { ...settingsWith({ ALIBABA_CLOUD_SECURITY_TOKEN: EMULATOR_SECURITY_TOKEN }, 100), maxRetries: 0 };
        // Long after the client gave up and looked for the copy: nothing to adopt, the error stands.
        emulator.delayNext("CopySnapshot", 2000);
        const error: AlibabaApiError = await copySnapshot(sts, request("token-12"), wait).catch((e) => e);
        await emulator.idle();
        expect(error.message).toBe(
            `CopySnapshot on snapshot s-source000001 (cn-shanghai -> cn-shanghai) failed with RequestTimeout: ReadTimeout(100). POST http://${emulator.endpoint}/?[redacted] failed. The service did not answer in time, even after retries: check the endpoint and the network, or allow a longer timeout. ` +
                "If the copy was made after all, the next pulumi up finds it by its token and adopts it.",
        );
        expect([error.code, error.retryable]).toEqual(["RequestTimeout", true]);
        const signature = emulator.requests[0].signature;
        for (const secret of [EMULATOR_KEY_ID, EMULATOR_SECURITY_TOKEN, signature, encodeURIComponent(signature)]) {
            expect(error.message).not.toContain(secret);
        }
    });
});
