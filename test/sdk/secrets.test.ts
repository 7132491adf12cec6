/**
 * What the sharee steps put in a stack's state, under the mock runtime, with a stack config and an environment full of
 * secret canaries: the serialized dynamic providers capture nothing but code (no config, no setting, no credential), no
 * canary reaches any input or output, a secret input stays secret, and a serialized provider, evaluated on its own as
 * the dynamic provider host does, works against the emulator.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMocks, valueOf } from "../support/mocks";

const rec = installMocks();

/** Plain and secret stack config, and credentials in the environment, none of which may reach the state. */
const PLAIN_CONFIG = { "alicloud:accessKey": "LTAIcanaryConfigKeyId01", "project:plainToken": "canary-plain-config-token" };
const SECRET_CONFIG = { "alicloud:secretKey": "canary-secret-config-alicloud-secret-key", "alicloud:securityToken": "CAIScanarySecretConfigToken0000000", "proj:dbPassword": "canary-secret-config-db-password" };
const ENVIRONMENT = { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIcanaryEnvironmentKey01", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "canary-environment-secret" };
const CANARIES = [...Object.values(PLAIN_CONFIG), ...Object.values(SECRET_CONFIG), ...Object.values(ENVIRONMENT)];

pulumi.runtime.setAllConfig({ ...PLAIN_CONFIG, ...SECRET_CONFIG, "alicloud:region": "cn-shanghai" }, Object.keys(SECRET_CONFIG));
const savedEnvironment = { ...process.env };
Object.assign(process.env, ENVIRONMENT);

import { SharedSnapshot, ShareAcceptance, SnapshotCopy } from "../../src";
import { EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, startEmulator } from "../support/emulator";

const DYNAMIC = "pulumi-nodejs:dynamic/alicloud-sharing:Resource";

afterAll(() => {
    for (const k of Object.keys(ENVIRONMENT)) delete process.env[k];
    Object.assign(process.env, savedEnvironment);
});

/** The provider as the dynamic provider host loads it: the text evaluated alone, `alicloud-sharing/sdk` mapped to the source. */
function loadSerialized(text: string): pulumi.dynamic.ResourceProvider {
    const exports: { handler?: () => pulumi.dynamic.ResourceProvider } = {};
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = (id: string): unknown => (id === "alicloud-sharing/sdk" ? require("../../src/sdk") : require(id));
    new Function("exports", "require", text)(exports, load);
    return exports.handler!();
}

/**
 * The names a serialized function text binds: top-level `var`s and `with({ … })` captures (the exported provider's own
 * name, which depends on how the module was compiled, shown as `provider`).
 */
function captures(text: string): { vars: string[]; bindings: string[] } {
    const own = (name: string) => name.replace(/^(__)?(snapshotCopyProvider|shareAcceptanceProvider)$/, "$1provider");
    const vars = [...text.matchAll(/^var (\w+)/gm)].map((m) => own(m[1]));
    const bindings = [...text.matchAll(/with\(\{ (.*?) \}\)/g)].flatMap((m) => m[1].split(", ").map((b) => own(b.split(":")[0].trim())));
    return { vars: [...new Set(vars)].sort(), bindings: [...new Set(bindings)].sort() };
}

let built: { copy: SnapshotCopy; acceptance: ShareAcceptance; share: SharedSnapshot };

beforeAll(async () => {
    built = {
        copy: new SnapshotCopy("restore", { sourceSnapshotId: "s-shared000001", kmsKeyId: "key-mine00000001", sourceKmsKeyId: "key-owner0000001", snapshotName: "kept" }),
        acceptance: new ShareAcceptance("accept", { resourceShareId: pulumi.secret("rs-secret0000001") }),
        share: new SharedSnapshot("dr", { snapshotIds: ["s-aaaa0001", "s-aaaa0002"], serviceKeyEncrypted: true, copyServiceKeySnapshots: true, kmsKeyId: "key-abcdefgh12345678", accountIds: ["2222222222222222"] }),
    };
    await Promise.all([valueOf(built.copy.snapshotId), valueOf(built.acceptance.status), valueOf(built.share.resourceShareId)]);
    await rec.settle();
});

test("the serialized providers capture nothing but their code: no config store, no pulumi module, no setting, no credential", () => {
    const dynamic = rec.registrations.filter((r) => r.type === DYNAMIC);
    expect(dynamic.map((r) => r.name).sort()).toEqual(["accept-acceptance", "dr-copy-s-aaaa0001-copy", "dr-copy-s-aaaa0002-copy", "restore-copy"]);
    for (const r of dynamic) {
        const text = r.inputs.__provider as string;
        expect(typeof text).toBe("string");
        for (const canary of CANARIES) {
            expect(text).not.toContain(canary);
        }
        const expected = r.name === "accept-acceptance" ? { vars: ["__provider"], bindings: ["arguments", "loadSdk", "provider", "this"] } : { vars: ["__logProgress", "__provider"], bindings: ["arguments", "loadSdk", "logProgress", "provider", "this"] };
        expect([r.name, captures(text)]).toEqual([r.name, expected]);
        expect(text).not.toMatch(/__config|Config|getProject|process\.env/);
    }
});

test("the inputs are the settings only, the stack's region read at construction; no canary in any input or output", async () => {
    const inputsOf = (name: string) => {
        const { __provider, ...rest } = rec.byName(name).inputs;
        return rest;
    };
    expect(inputsOf("restore-copy")).toEqual({
        sourceSnapshotId: "s-shared000001",
        kmsKeyId: "key-mine00000001",
        sourceRegionId: "cn-shanghai",
        snapshotName: "kept",
        copyScope: "urn:pulumi:stack::project::alicloud-sharing:index:SnapshotCopy::restore",
        secretInputs: [],
    });
    expect(Object.keys(inputsOf("accept-acceptance")).sort()).toEqual(["insideResourceDirectory", "region", "resourceShareId", "secretInputs"]);
    // Which inputs are secret, for the provider, which the engine hands every value plain: its errors quote none of them.
    expect(inputsOf("accept-acceptance").secretInputs).toEqual(["resourceShareId"]);
    expect(inputsOf("accept-acceptance").region).toBe("cn-shanghai");
    expect(inputsOf("dr-copy-s-aaaa0001-copy")).toEqual({
        sourceSnapshotId: "s-aaaa0001",
        kmsKeyId: "key-abcdefgh12345678",
        sourceRegionId: "cn-shanghai",
        copyScope: "urn:pulumi:stack::project::alicloud-sharing:index:SharedSnapshot$alicloud-sharing:index:SnapshotCopy::dr-copy-s-aaaa0001",
        secretInputs: [],
    });
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    const everything = JSON.stringify(rec.registrations) + JSON.stringify([...monitor.resources.values()]);
    expect(everything).toContain("s-shared000001");
    for (const canary of CANARIES) {
        expect(everything).not.toContain(canary);
    }
    const outputs = await Promise.all([valueOf(built.copy.snapshotId), valueOf(built.acceptance.status), valueOf(built.acceptance.resourceShareId), valueOf(built.share.resourceShareId)]);
    for (const canary of CANARIES) {
        expect(JSON.stringify(outputs)).not.toContain(canary);
    }
});

test("a secret input stays secret: in the dynamic resource's inputs and in the component's outputs", async () => {
    expect(rec.byName("accept-acceptance").inputs.resourceShareId).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "rs-secret0000001" });
    expect(await pulumi.isSecret(built.acceptance.resourceShareId)).toBe(true);
    expect(await valueOf(built.acceptance.resourceShareId)).toBe("rs-secret0000001");
    expect(await pulumi.isSecret(built.acceptance.status)).toBe(false);
    expect(await valueOf(built.acceptance.status)).toBe("Accepted");
});

test("a serialized provider, evaluated alone as the dynamic provider host does, copies and deletes against the emulator", async () => {
    const emulator = await startEmulator();
    Object.assign(process.env, { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET });
    const info = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
        emulator.snapshots.set("s-shared000001", { snapshotId: "s-shared000001", regionId: "cn-shanghai", encrypted: true, pollsLeft: 0, willFail: false });
        const provider = loadSerialized(rec.byName("restore-copy").inputs.__provider as string);
        const { inputs } = await provider.check!({}, { sourceSnapshotId: "s-shared000001", kmsKeyId: "key-mine00000001", sourceRegionId: "cn-shanghai", endpoint: emulator.endpoint, pollSeconds: 0.002 });
        const created = await provider.create(inputs);
        expect(emulator.snapshots.get(created.id)).toMatchObject({ sourceSnapshotId: "s-shared000001", kmsKeyId: "key-mine00000001", encrypted: true });
        await provider.delete!(created.id, created.outs);
        expect(emulator.snapshots.has(created.id)).toBe(false);
        expect(emulator.requests.map((r) => r.action)).toEqual(["DescribeSnapshots", "CopySnapshot", "DescribeSnapshots", "TagResources", "DeleteSnapshot"]);
    } finally {
        info.mockRestore();
        Object.assign(process.env, ENVIRONMENT);
        await emulator.stop();
    }
});

test("SnapshotCopy refuses the source's own key (C12) before anything is registered", async () => {
    rec.clear();
    expect(() => new SnapshotCopy("same", { sourceSnapshotId: "s-shared000001", kmsKeyId: "key-owner0000001", sourceKmsKeyId: "key-owner0000001" })).toThrow(
        /\[C8, C12\] key key-owner0000001 is the source snapshot's own key\..*\(rule copy-key\)/,
    );
    await rec.settle();
    expect(rec.registrations).toEqual([]);
});
