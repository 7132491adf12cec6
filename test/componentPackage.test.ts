/**
 * The component package as the multi-language host would serve it: the schema generated in-process from the
 * TypeScript source, and the components constructed from plain inputs, as Pulumi YAML passes them.
 */
import { readFileSync } from "fs";
import { join } from "path";
import * as yaml from "js-yaml";
import { installMocks, shape, T } from "./support/mocks";

const rec = installMocks();

import { componentProvider } from "../src/provider";

interface Schema {
    name: string;
    resources: Record<string, { isComponent: boolean; inputProperties: Record<string, { description?: string; type?: string; items?: unknown }>; requiredInputs?: string[]; properties: Record<string, { description?: string }> }>;
}

// One provider for the file, as the host keeps one: the schema's analysis of the source (seconds) is made once, and
// construct uses it.
const provider = componentProvider();
let schema: Schema;
beforeAll(async () => {
    schema = JSON.parse(await provider.getSchema());
}, 120_000);

test("the schema: one component per class, tokens alicloud-sharing:index:<ClassName>", () => {
    expect(schema.name).toBe("alicloud-sharing");
    expect(Object.keys(schema.resources).sort()).toEqual(
        ["EncryptedShareRole", "ShareAcceptance", "SharedImage", "SharedSnapshot", "SharedSnapshotDisk", "ShareeImageAccess", "SnapshotCopy"].map((c) => `alicloud-sharing:index:${c}`),
    );
    expect(Object.values(schema.resources).every((r) => r.isComponent)).toBe(true);
});

test("required inputs and types follow the arguments", () => {
    const snapshot = schema.resources["alicloud-sharing:index:SharedSnapshot"];
    expect(snapshot.requiredInputs).toEqual(["snapshotIds"]);
    expect(snapshot.inputProperties.snapshotIds).toMatchObject({ type: "array", items: { type: "string" } });
    expect(Object.keys(snapshot.properties).sort()).toEqual(["resourceShareId", "shareRoleName"]);
    expect(schema.resources["alicloud-sharing:index:SharedImage"].requiredInputs).toEqual(["imageIds"]);
    expect(schema.resources["alicloud-sharing:index:SharedImage"].inputProperties.method.type).toBe("string");
    expect(schema.resources["alicloud-sharing:index:EncryptedShareRole"].requiredInputs).toEqual(["kmsKeyId", "resourceKind"]);
    expect(schema.resources["alicloud-sharing:index:SharedSnapshotDisk"].requiredInputs).toEqual(["snapshotId", "zoneId"]);
});

test("every input and output carries its JSDoc as description", () => {
    const missing: string[] = [];
    for (const [token, r] of Object.entries(schema.resources)) {
        for (const [name, p] of [...Object.entries(r.inputProperties), ...Object.entries(r.properties)]) {
            if (!p.description) {
                missing.push(`${token}.${name}`);
            }
        }
    }
    expect(missing).toEqual([]);
    expect(schema.resources["alicloud-sharing:index:SharedSnapshot"].inputProperties.protect.description).toMatch(/Defaults to true\./);
});

test("the YAML example uses only resources and properties of the schema", () => {
    const program = yaml.load(readFileSync(join(__dirname, "..", "examples", "yaml-program", "Pulumi.yaml"), "utf8")) as {
        resources: Record<string, { type: string; properties: Record<string, unknown> }>;
    };
    for (const [name, resource] of Object.entries(program.resources)) {
        const declared = schema.resources[resource.type];
        expect([name, declared !== undefined]).toEqual([name, true]);
        expect(Object.keys(resource.properties).filter((p) => !(p in declared.inputProperties))).toEqual([]);
        expect((declared.requiredInputs ?? []).filter((p) => !(p in resource.properties))).toEqual([]);
    }
});

test("construct builds a component from plain inputs, as the host does for YAML", async () => {
    const result = await provider.construct(
        "dr-backups",
        "alicloud-sharing:index:SharedSnapshot",
        { snapshotIds: ["s-uf6backup00001"], kmsKeyId: "key-shh6backup0001", accountIds: ["3456789012345678"] },
        {},
    );
    await rec.settle();
    expect(shape(rec.registrations)).toEqual(
        [
            `${T.snapshotShare} dr-backups`,
            `${T.role} dr-backups-share-role`,
            `${T.ramRole} dr-backups-share-role-role`,
            `${T.policy} dr-backups-share-role-kms-policy`,
            `${T.attachment} dr-backups-share-role-attachment`,
            `${T.share} dr-backups-share`,
            `${T.resource} dr-backups-snapshot-s-uf6backup00001`,
            `${T.target} dr-backups-target-3456789012345678`,
        ].sort(),
    );
    expect(Object.keys(result.state).sort()).toEqual(["resourceShareId", "shareRoleName"]);
});

test("construct with invalid plain inputs fails with the rule, as the host reports it", async () => {
    await expect(
        provider.construct("bad", "alicloud-sharing:index:SharedSnapshot", { snapshotIds: ["s-uf6backup00001"], accountIds: ["12345"] }, {}),
    ).rejects.toThrow(/\[C1\] "12345" is not an account id/);
});
