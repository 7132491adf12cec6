/**
 * The dynamic providers, run as the engine runs them (check, diff, create, update, replace, delete), through the real
 * SDK over HTTP against the emulator.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { shareAcceptanceProvider, snapshotCopyProvider } from "../../src/components/providers";
import { copyClientToken } from "../../src/sdk/ecs";
import { AlibabaApiError } from "../../src/sdk/errors";
import { EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, Emulator, startEmulator } from "../support/emulator";
import { Engine } from "./engine";

let emulator: Emulator;
let info: jest.SpyInstance;
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
beforeEach(() => {
    emulator.snapshots.clear();
    emulator.invitations.clear();
    emulator.requests.splice(0);
    for (const id of ["s-source000001", "s-source000002"]) {
        emulator.snapshots.set(id, { snapshotId: id, regionId: "cn-shanghai", encrypted: true, pollsLeft: 0, willFail: false });
    }
    // Without an engine, Pulumi's log writes `info: [runtime] …` to the console.
    info = jest.spyOn(console, "log").mockImplementation(() => undefined);
});
afterEach(() => info.mockRestore());

const SCOPE = "urn:pulumi:dev::restore::alicloud-sharing:index:SnapshotCopy::restore";
const copyInputs = (overrides: Record<string, unknown> = {}) => ({
    sourceSnapshotId: "s-source000001",
    kmsKeyId: "key-mine00000001",
    sourceRegionId: "cn-shanghai",
    endpoint: emulator.endpoint,
    pollSeconds: 0.002,
    maxRetries: 1,
    retryBaseSeconds: 0.001,
    copyScope: SCOPE,
    ...overrides,
});
const requests = (action: string) => emulator.requests.filter((r) => r.action === action);
const copies = () => [...emulator.snapshots.values()].filter((s) => s.sourceSnapshotId !== undefined);
/** The token of the intended copy of `copyInputs()` (generation 0), as every run computes it. */
const TOKEN = copyClientToken({ scope: SCOPE, generation: 0, sourceSnapshotId: "s-source000001", sourceRegionId: "cn-shanghai", destinationRegionId: "cn-shanghai", kmsKeyId: "key-mine00000001" });

describe("snapshotCopyProvider", () => {
    test("create finds no copy of its token, copies, waits (logging progress to Pulumi's log), marks the copy held; destroy deletes it", async () => {
        emulator.nextCopy({ polls: 2 });
        const { inputs } = await snapshotCopyProvider.check!({}, copyInputs());
        expect(inputs).toEqual(copyInputs());
        const first = await snapshotCopyProvider.create(inputs);
        expect(emulator.requests.map((r) => r.action)).toEqual(["DescribeSnapshots", "CopySnapshot", "DescribeSnapshots", "DescribeSnapshots", "DescribeSnapshots", "TagResources"]);
        expect(requests("CopySnapshot")[0].params).toMatchObject({ ClientToken: TOKEN, "Tag.1.Key": "alicloud-sharing:copy-token", "Tag.1.Value": TOKEN, "Tag.2.Key": "alicloud-sharing:copy-state", "Tag.2.Value": "copying" });
        expect(emulator.snapshots.get(first.id)!.tags).toEqual({ "alicloud-sharing:copy-token": TOKEN, "alicloud-sharing:copy-state": "created" });
        expect(first.outs).toEqual({ ...inputs, sourceRegionId: "cn-shanghai", destinationRegionId: "cn-shanghai", snapshotId: first.id });
        expect(info.mock.calls.map((c) => c[0])).toEqual([
            `info: [runtime] snapshot copy ${first.id}: progressing 33%`,
            `info: [runtime] snapshot copy ${first.id}: progressing 50%`,
            `info: [runtime] snapshot copy ${first.id}: accomplished 100%`,
        ]);
        await snapshotCopyProvider.delete!(first.id, first.outs);
        expect(copies()).toEqual([]);
    });

    test("the answer arrives after the client gave up (every attempt timed out): the create finds its copy by its token and adopts it, one copy", async () => {
        const engine = new Engine(snapshotCopyProvider);
        // The answer comes 1.5 s after the request; the client gives up after 1 s, then looks every 0.5 s.
        emulator.delayNext("CopySnapshot", 1500);
        expect(await engine.up(copyInputs({ timeoutSeconds: 1, maxRetries: 0, pollSeconds: 0.5 }))).toBe("create");
        await emulator.idle();
        expect(requests("CopySnapshot")).toHaveLength(1);
        expect(copies().map((s) => [s.snapshotId, s.clientToken, s.tags!["alicloud-sharing:copy-state"]])).toEqual([[engine.state!.id, TOKEN, "created"]]);
    });

    test("two ups leave one copy: the first lost its answer and gave up; the second finds the copy the first made, by the same token, and adopts it", async () => {
        const engine = new Engine(snapshotCopyProvider);
        // The answer comes 3 s after the request; the client gives up after 1 s, and looks three times 10 ms apart.
        emulator.delayNext("CopySnapshot", 3000);
        const lost: AlibabaApiError = await engine.up(copyInputs({ timeoutSeconds: 1, maxRetries: 0, pollSeconds: 0.01 })).catch((e) => e);
        expect([lost.code, lost.retryable]).toEqual(["RequestTimeout", true]);
        expect(lost.fix).toBe("The service did not answer in time, even after retries: check the endpoint and the network, or allow a longer timeout. If the copy was made after all, the next pulumi up finds it by its token and adopts it.");
        expect(engine.state).toBeUndefined();
        await emulator.idle();
        expect(copies()).toHaveLength(1);
        expect(await engine.up(copyInputs())).toBe("create");
        expect(requests("CopySnapshot")).toHaveLength(1);
        expect(copies().map((s) => [s.snapshotId, s.clientToken, s.tags!["alicloud-sharing:copy-state"]])).toEqual([[engine.state!.id, TOKEN, "created"]]);
    });

    test("a key change replaces: a new copy first, with another token, then the old one deleted; the new one stays", async () => {
        const engine = new Engine(snapshotCopyProvider);
        await engine.up(copyInputs());
        const old = engine.state!;
        expect(await engine.up(copyInputs({ kmsKeyId: "key-other0000001" }))).toBe("replace");
        const tokens = requests("CopySnapshot").map((r) => r.params.ClientToken);
        expect(new Set(tokens).size).toBe(2);
        expect(engine.state!.id).not.toBe(old.id);
        expect(copies().map((s) => [s.snapshotId, s.kmsKeyId])).toEqual([[engine.state!.id, "key-other0000001"]]);
        expect(requests("DeleteSnapshot").map((r) => r.params.SnapshotId)).toEqual([old.id]);
    });

    test("a replacement with the same inputs (pulumi up --replace) makes a copy of its own (the next generation's token), never the one it replaces", async () => {
        const engine = new Engine(snapshotCopyProvider);
        await engine.up(copyInputs());
        const old = engine.state!;
        await engine.replace(copyInputs());
        expect(engine.state!.id).not.toBe(old.id);
        expect(copies().map((s) => s.snapshotId)).toEqual([engine.state!.id]);
        const tokens = requests("CopySnapshot").map((r) => r.params.ClientToken);
        expect(tokens).toEqual([TOKEN, copyClientToken({ scope: SCOPE, generation: 1, sourceSnapshotId: "s-source000001", sourceRegionId: "cn-shanghai", destinationRegionId: "cn-shanghai", kmsKeyId: "key-mine00000001" })]);
    });

    test("an unchanged up does nothing; a call setting's change is an update that waits for the copy (one poll) and keeps it marked", async () => {
        const engine = new Engine(snapshotCopyProvider);
        await engine.up(copyInputs());
        const { id } = engine.state!;
        expect(await engine.up(copyInputs())).toBe("same");
        emulator.requests.splice(0);
        expect(await engine.up(copyInputs({ pollSeconds: 0.003, maxRetries: 2 }))).toBe("update");
        expect(emulator.requests.map((r) => r.action)).toEqual(["DescribeSnapshots", "TagResources"]);
        expect(engine.state!).toMatchObject({ id, outputs: { snapshotId: id, pollSeconds: 0.003, maxRetries: 2 } });
    });

    test("a resource created with a nonce (an older version) keeps it: its inputs do not change, nothing happens", async () => {
        const older = { ...copyInputs(), copyScope: undefined, copyNonce: "9b2f6c1e-0d3a-4c55-8e21-7f04a6b1c2d3" };
        const { inputs } = await snapshotCopyProvider.check!(older, copyInputs({ copyScope: undefined }));
        expect(inputs.copyNonce).toBe(older.copyNonce);
        expect(await snapshotCopyProvider.diff!("s-copy000000000001", { ...older, snapshotId: "s-copy000000000001", destinationRegionId: "cn-shanghai" } as never, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    });

    test("diff and update agree: every input change either replaces or is an update the provider performs", async () => {
        const engine = new Engine(snapshotCopyProvider);
        await engine.up(copyInputs({ snapshotName: "a" }));
        const changes: [Record<string, unknown>, string][] = [
            [{ snapshotName: "a", endpoint: emulator.endpoint }, "same"],
            [{ snapshotName: "a", timeoutSeconds: 20 }, "update"],
            [{ snapshotName: "a", timeoutSeconds: 20, copyTimeoutSeconds: 60 }, "update"],
            [{ snapshotName: "b", timeoutSeconds: 20, copyTimeoutSeconds: 60 }, "replace"],
            [{ timeoutSeconds: 20, copyTimeoutSeconds: 60 }, "update"],
            [{ timeoutSeconds: 20, copyTimeoutSeconds: 60, destinationRegionId: "cn-shanghai" }, "same"],
            [{ timeoutSeconds: 20, copyTimeoutSeconds: 60, sourceSnapshotId: "s-source000002" }, "replace"],
        ];
        for (const [overrides, expected] of changes) {
            expect([overrides, await engine.up(copyInputs(overrides))]).toEqual([overrides, expected]);
        }
        expect(copies().map((s) => [s.snapshotId, s.sourceSnapshotId])).toEqual([[engine.state!.id, "s-source000002"]]);
    });

    test("four copies made in parallel (two sources, and one source by three resources) are four copies, each of its own source and token", async () => {
        const engines = [0, 1, 2, 3].map(() => new Engine(snapshotCopyProvider));
        const sources = ["s-source000001", "s-source000002", "s-source000001", "s-source000001"];
        await Promise.all(engines.map((e, i) => e.up(copyInputs({ sourceSnapshotId: sources[i], copyScope: `${SCOPE}-${i}` }))));
        const ids = engines.map((e) => e.state!.id);
        expect(new Set(ids).size).toBe(4);
        expect(ids.map((id) => emulator.snapshots.get(id)!.sourceSnapshotId)).toEqual(sources);
        expect(new Set(requests("CopySnapshot").map((r) => r.params.ClientToken)).size).toBe(4);
    });

    test("a copy that ends failed is deleted before the error; pulumi up again makes a new copy", async () => {
        const engine = new Engine(snapshotCopyProvider);
        emulator.nextCopy({ polls: 1, fails: true });
        const error: AlibabaApiError = await engine.up(copyInputs()).catch((e) => e);
        const failed = requests("DeleteSnapshot")[0].params.SnapshotId;
        expect(error.message).toBe(
            `CopySnapshot on snapshot copy ${failed} (cn-shanghai) failed with SnapshotCopyFailed: the copy ended failed. The failed copy ${failed} was deleted. ` +
                "Check the source snapshot and the key (a key of the destination region, usable by ECS), then create the copy again.",
        );
        expect(engine.state).toBeUndefined();
        expect(emulator.requests.map((r) => r.action)).toEqual(["DescribeSnapshots", "CopySnapshot", "DescribeSnapshots", "DescribeSnapshots", "DeleteSnapshot"]);
        expect(await engine.up(copyInputs())).toBe("create");
        expect(engine.state!.id).not.toBe(failed);
        expect(copies().map((s) => s.snapshotId)).toEqual([engine.state!.id]);
    });

    test("a create that times out waiting is kept in the state (id, properties); the next up waits for the same copy and marks it, no second one", async () => {
        const engine = new Engine(snapshotCopyProvider);
        emulator.nextCopy({ polls: 6 });
        const error = await engine.up(copyInputs({ pollSeconds: 0.02, copyTimeoutSeconds: 0.01 })).catch((e) => e);
        expect(error.message).toMatch(/^CopySnapshot on snapshot copy s-copy\d+ \(cn-shanghai\) failed with SnapshotCopyTimeout: not accomplished within 10 ms/);
        const id: string = error.id;
        expect(id).toMatch(/^s-copy\d+$/);
        expect(engine.state).toMatchObject({ id, initErrors: true, outputs: { snapshotId: id, destinationRegionId: "cn-shanghai" } });
        expect(error.reasons).toEqual([error.message]);
        expect(emulator.snapshots.get(id)!.tags!["alicloud-sharing:copy-state"]).toBe("copying");
        expect(await engine.up(copyInputs({ pollSeconds: 0.002 }))).toBe("update");
        expect(engine.state).toMatchObject({ id, initErrors: false, outputs: { snapshotId: id } });
        expect(requests("CopySnapshot")).toHaveLength(1);
        expect(copies().map((s) => [s.snapshotId, s.tags!["alicloud-sharing:copy-state"]])).toEqual([[id, "created"]]);
    });

    test("an update finding the copy failed deletes it and says to replace", async () => {
        const engine = new Engine(snapshotCopyProvider);
        await engine.up(copyInputs());
        const id = engine.state!.id;
        emulator.snapshots.get(id)!.willFail = true;
        await expect(engine.up(copyInputs({ maxRetries: 2 }))).rejects.toThrow(
            `CopySnapshot on snapshot copy ${id} (cn-shanghai) failed with SnapshotCopyFailed: the copy ended failed. The failed copy ${id} was deleted. ` +
                "Check the source snapshot and the key (a key of the destination region, usable by ECS), then create the copy again. Replace the resource (pulumi up --replace <its URN>) to copy again.",
        );
        expect(emulator.snapshots.has(id)).toBe(false);
    });

    test("resources created before the nonce (a clientToken input): a create uses that token; a later check changes nothing", async () => {
        const legacy = copyInputs({ clientToken: "alicloud-sharing-project-stack-restore", copyScope: undefined });
        const created = await snapshotCopyProvider.create(legacy);
        expect(requests("CopySnapshot")[0].params.ClientToken).toBe("alicloud-sharing-project-stack-restore");
        const { inputs } = await snapshotCopyProvider.check!(legacy, copyInputs());
        expect(await snapshotCopyProvider.diff!(created.id, created.outs, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    });
});

describe("a secret input's value is never quoted by a provider's error (the engine hands the provider every value plain)", () => {
    test("SnapshotCopy: a secret source that does not exist", async () => {
        const error: AlibabaApiError = await snapshotCopyProvider
            .create(copyInputs({ sourceSnapshotId: "s-canary0000001", secretInputs: ["sourceSnapshotId"] }))
            .catch((e) => e);
        expect(error).toBeInstanceOf(AlibabaApiError);
        expect(error.message).toBe(
            "CopySnapshot on snapshot [secret] (cn-shanghai -> cn-shanghai) failed with InvalidSnapshotId.NotFound: The specified snapshot [secret] does not exist. " +
                "Check the snapshot id and that it is in this region (and, if shared with you, that the share was accepted).",
        );
        expect(JSON.stringify({ ...error })).not.toMatch(/canary/);
    });
    test("ShareAcceptance: a secret share id with no invitation", async () => {
        const error: Error = await shareAcceptanceProvider
            .create({ resourceShareId: "rs-canary000001", region: "cn-shanghai", endpoint: emulator.endpoint, maxRetries: 0, secretInputs: ["resourceShareId"] })
            .catch((e) => e);
        expect(error.message).toMatch(/^.*this account has no invitation to resource share \[secret\]\./);
        expect(error.message).not.toMatch(/canary/);
        // Not named secret: quoted, as every other value.
        const plain: Error = await shareAcceptanceProvider.create({ resourceShareId: "rs-plain0000001", region: "cn-shanghai", endpoint: emulator.endpoint, maxRetries: 0 }).catch((e) => e);
        expect(plain.message).toContain("rs-plain0000001");
    });
});

describe("both providers", () => {
    test("old outputs holding a provider serialized by an older version (which captured the stack's config) are an update, which rewrites them", async () => {
        emulator.invitations.set("i-9", { invitationId: "i-9", resourceShareId: "rs-9", senderAccountId: "1000000000000000", status: "Accepted" });
        const cases = [
            [snapshotCopyProvider, copyInputs()],
            [shareAcceptanceProvider, { resourceShareId: "rs-9", region: "cn-shanghai", endpoint: emulator.endpoint }],
        ] as const;
        for (const [provider, news] of cases) {
            const { inputs } = await provider.check!({}, news);
            const created = await provider.create(inputs);
            const current = { ...inputs, __provider: "exports.handler = __f0; /* this version */" };
            const olds = { ...created.outs, __provider: 'exports.handler = __f0; var __config = {["alicloud:secretKey"]: "…"};' };
            expect(await provider.diff!(created.id, olds, current)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
            expect(await provider.diff!(created.id, { ...olds, __provider: current.__provider }, current)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
            const updated = await provider.update!(created.id, olds, current);
            expect(updated.outs.__provider).toBe(current.__provider);
        }
    });
});

describe("shareAcceptanceProvider", () => {
    const acceptInputs = (overrides: Record<string, unknown> = {}) => ({ resourceShareId: "rs-1", region: "cn-shanghai", endpoint: emulator.endpoint, ...overrides });

    test("create accepts the pending invitation and reports the status; the id never shows the share; delete does nothing", async () => {
        emulator.invitations.set("i-1", { invitationId: "i-1", resourceShareId: "rs-1", senderAccountId: "1000000000000000", status: "Pending" });
        const result = await shareAcceptanceProvider.create(acceptInputs());
        expect(result.id).toMatch(/^acceptance-[0-9a-f-]{36}$/);
        expect(result.outs).toEqual({ ...acceptInputs(), status: "Accepted", invitationId: "i-1" });
        const before = emulator.requests.length;
        await shareAcceptanceProvider.delete!(result.id, result.outs);
        expect(emulator.requests.length).toBe(before);
    });

    test("diff and update agree: insideResourceDirectory and call settings update (accepting again), another share or region replaces", async () => {
        emulator.invitations.set("i-2", { invitationId: "i-2", resourceShareId: "rs-2", senderAccountId: "1000000000000000", status: "Accepted" });
        const engine = new Engine(shareAcceptanceProvider);
        await engine.up(acceptInputs({ resourceShareId: "rs-3", insideResourceDirectory: true }));
        expect(engine.state!.outputs).toMatchObject({ status: "Associated", invitationId: "" });
        const changes: [Record<string, unknown>, string][] = [
            [{ resourceShareId: "rs-3", insideResourceDirectory: true }, "same"],
            [{ resourceShareId: "rs-3", insideResourceDirectory: true, maxRetries: 2 }, "update"],
            [{ resourceShareId: "rs-2", insideResourceDirectory: true, maxRetries: 2 }, "replace"],
            [{ resourceShareId: "rs-2", maxRetries: 2 }, "update"],
            [{ resourceShareId: "rs-2", maxRetries: 2, region: "cn-shanghai" }, "same"],
        ];
        for (const [overrides, expected] of changes) {
            expect([overrides, await engine.up(acceptInputs(overrides))]).toEqual([overrides, expected]);
        }
        expect(engine.state!.outputs).toMatchObject({ resourceShareId: "rs-2", status: "Accepted", invitationId: "i-2", maxRetries: 2 });
        expect(await shareAcceptanceProvider.diff!(engine.state!.id, engine.state!.outputs, { ...engine.state!.inputs, region: "cn-beijing" } as never)).toEqual({
            changes: true,
            replaces: ["region"],
            deleteBeforeReplace: false,
        });
        // Outside the directory without an invitation, the update is the acceptance's own error.
        emulator.invitations.clear();
        await expect(engine.up(acceptInputs({ resourceShareId: "rs-2" }))).rejects.toThrow(/^this account has no invitation to resource share rs-2\./);
    });

    test("the default credential chain: with no AccessKey in the environment, a profile file signs the requests", async () => {
        const dir = mkdtempSync(join(tmpdir(), "alicloud-sharing-"));
        const saved = { ...process.env };
        try {
            writeFileSync(join(dir, "credentials"), `[default]\ntype = access_key\naccess_key_id = ${EMULATOR_KEY_ID}\naccess_key_secret = ${EMULATOR_KEY_SECRET}\n`);
            delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
            delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
            Object.assign(process.env, { ALIBABA_CLOUD_CREDENTIALS_FILE: join(dir, "credentials"), ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true", ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" });
            emulator.invitations.set("i-4", { invitationId: "i-4", resourceShareId: "rs-4", senderAccountId: "1000000000000000", status: "Pending" });
            expect((await shareAcceptanceProvider.create(acceptInputs({ resourceShareId: "rs-4" }))).outs.status).toBe("Accepted");
            expect(emulator.requests.map((r) => r.params.AccessKeyId)).toEqual([EMULATOR_KEY_ID, EMULATOR_KEY_ID]);
        } finally {
            for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
            Object.assign(process.env, saved);
            rmSync(dir, { recursive: true });
        }
    });
});
