/**
 * With which key: the report of a program that uses the components (the README's first program, registered in this
 * process under the preview's own capture, read as the preview reads it). The components put the key ids nowhere but
 * in the share role's KMS policy (the snapshots and images are known by their id alone; the shares carry the
 * encryption tag and wait for the role): the report takes the keys that policy grants as key nodes, the roles as
 * granted them, and each share (and its items) as on its role's only key in its region, saying so.
 */
import { installMocks } from "../support/mocks";

const rec = installMocks({ accountId: "1000000000000000", region: "cn-shanghai" });

import { SharedImage, SharedSnapshot } from "../../src";
import { at } from "../../src/intent/model";
import { emptyGraph } from "../../src/graph/model";
import type { SharingGraph } from "../../src/graph/model";
import { previewReport } from "../../src/preview/report";
import { grantedKeyArns, renderMapText, renderMermaid, reportModel } from "../../src/report";
import type { ReportModel } from "../../src/report";

let model: ReportModel;

beforeAll(async () => {
    // The README's first program.
    new SharedImage("golden", {
        imageIds: ["m-uf6golden00001"],
        region: "cn-shanghai",
        kmsKeyId: "key-shh6golden0001",
        folderPaths: ["rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1"],
        copyToRegions: ["cn-beijing"],
        copyKmsKeyIds: { "cn-beijing": "key-bjs6golden0001" },
    });
    new SharedSnapshot("backups", {
        snapshotIds: ["s-uf6backup00001", "s-uf6backup00002"],
        region: "cn-shanghai",
        kmsKeyId: "key-shh6backup0001",
        accountIds: ["1234567890123456"],
    });
    await rec.settle();
    model = previewReport(
        { project: "project", stack: "stack", accountId: "1000000000000000", region: "cn-shanghai", configSource: "(none)", programDir: "/program", entry: "index.ts", resources: rec.registrations, verdicts: [] },
        "/program",
    );
});

describe("the keys of a program made with the components", () => {
    test("the map: the granted keys, the roles granted them, each share and item on its role's only key in its region", () => {
        expect(renderMapText(model.graph)).toBe(
            [
                "  owner the stack's account",
                "    key key-shh6golden0001 in cn-shanghai",
                "    key key-bjs6golden0001 in cn-beijing",
                "    key key-shh6backup0001 in cn-shanghai",
                "    image m-uf6golden00001 in cn-shanghai, customer key key-shh6golden0001 (the only key the share role is granted in the region)",
                "    image m-9bd014b2acbc001f0626 (golden-cn-beijing-copy-m-uf6golden00001) in cn-beijing, customer key key-bjs6golden0001",
                "    snapshot s-uf6backup00001 in cn-shanghai, customer key key-shh6backup0001 (the only key the share role is granted in the region)",
                "    snapshot s-uf6backup00002 in cn-shanghai, customer key key-shh6backup0001 (the only key the share role is granted in the region)",
                "    role AliyunECSShareEncryptImageDefaultRole, granted key-shh6golden0001, key-bjs6golden0001",
                "    role AliyunECSShareEncryptSnapshotDefaultRole, granted key-shh6backup0001",
                "    share golden (resource share of images) in cn-shanghai, customer key key-shh6golden0001 (the only key the share role is granted in the region), role AliyunECSShareEncryptImageDefaultRole",
                "      m-uf6golden00001",
                "      to 1 recipient:",
                "        folder fd-bVaRIG8Zp1: every member",
                "    share golden-cn-beijing (resource share of images) in cn-beijing, customer key key-bjs6golden0001, role AliyunECSShareEncryptImageDefaultRole",
                "      m-9bd014b2acbc001f0626 (golden-cn-beijing-copy-m-uf6golden00001)",
                "      to 1 recipient:",
                "        folder fd-bVaRIG8Zp1: every member",
                "    share backups (resource share of snapshots) in cn-shanghai, customer key key-shh6backup0001 (the only key the share role is granted in the region), role AliyunECSShareEncryptSnapshotDefaultRole",
                "      s-uf6backup00001, s-uf6backup00002",
                "      to 1 recipient:",
                "        not in the organization file's tree: 1 account: 1234567890123456",
            ].join("\n"),
        );
    });

    test("the per-recipient view: each grant with its key id and where the key is known from", () => {
        expect(model.access.map((a) => [a.value, a.grants.map((g) => `${g.resourceId} ${g.region} ${g.encryption} ${g.keyId ?? "-"} ${g.keyFrom ?? "item"}`)])).toEqual([
            [
                "fd-bVaRIG8Zp1",
                ["m-uf6golden00001 cn-shanghai key key-shh6golden0001 shareRole", "m-9bd014b2acbc001f0626 cn-beijing key key-bjs6golden0001 item"],
            ],
            ["1234567890123456", ["s-uf6backup00001 cn-shanghai key key-shh6backup0001 shareRole", "s-uf6backup00002 cn-shanghai key key-shh6backup0001 shareRole"]],
        ]);
        expect(model.graph.keys.map((k) => [k.keyId, k.region, k.owner])).toEqual([
            ["key-shh6golden0001", "cn-shanghai", "owner:default"],
            ["key-bjs6golden0001", "cn-beijing", "owner:default"],
            ["key-shh6backup0001", "cn-shanghai", "owner:default"],
        ]);
    });

    test("the Mermaid chart draws the key nodes, the roles' grants and what each key encrypts", () => {
        const chart = renderMermaid(model.graph);
        const keyNodes = chart.split("\n").filter((l) => l.includes("{{"));
        expect(keyNodes).toEqual(['  n2{{"key key-shh6golden0001<br/>cn-shanghai"}}', '  n3{{"key key-bjs6golden0001<br/>cn-beijing"}}', '  n4{{"key key-shh6backup0001<br/>cn-shanghai"}}']);
        expect(chart.split("\n").filter((l) => / -\. (granted|encrypted with) \.-> /.test(l))).toEqual([
            "  n5 -. encrypted with .-> n2",
            "  n6 -. encrypted with .-> n3",
            "  n7 -. encrypted with .-> n4",
            "  n8 -. encrypted with .-> n4",
            "  n9 -. granted .-> n2",
            "  n9 -. granted .-> n3",
            "  n10 -. granted .-> n4",
        ]);
    });
});

describe("the keys a KMS policy grants", () => {
    const arn = (key: string, region = "cn-shanghai") => `acs:kms:${region}:1000000000000000:key/${key}`;
    const keysOf = (statements: unknown[]) => grantedKeyArns(JSON.stringify({ Version: "1", Statement: statements })).map((k) => `${k.region}/${k.keyId}`);

    test("a key action on an exact key ARN, unconditional and not denied; the key list, other actions and conditions grant no key", () => {
        expect(
            keysOf([
                { Effect: "Allow", Action: "kms:List*", Resource: "acs:kms:cn-shanghai:1000000000000000:key" },
                { Effect: "Allow", Action: ["kms:Decrypt"], Resource: [arn("key-granted00001"), arn("key-beijing00001", "cn-beijing")] },
                { Effect: "Allow", Action: "kms:*", Resource: arn("key-wildcard0001") },
                { Effect: "Allow", Action: "ecs:DescribeImages", Resource: arn("key-otheraction1") },
                { Effect: "Allow", Action: "kms:Decrypt", Resource: arn("key-conditional1"), Condition: { Bool: { "acs:SecureTransport": "true" } } },
                { Effect: "Allow", Action: "kms:Decrypt", Resource: [arn("key-denied000001"), "acs:kms:*:*:key/*"] },
                { Effect: "Deny", Action: "kms:*", Resource: arn("key-denied000001") },
            ]),
        ).toEqual(["cn-shanghai/key-granted00001", "cn-beijing/key-beijing00001", "cn-shanghai/key-wildcard0001"]);
    });

    test("a document unknown, unreadable or of no statement grants none", () => {
        expect([grantedKeyArns(undefined), grantedKeyArns("not json"), grantedKeyArns({}), grantedKeyArns(42)]).toEqual([[], [], [], []]);
    });
});

describe("a key is said only where the graph knows it", () => {
    const policyArn = (key: string, region = "cn-shanghai") => `acs:kms:${region}:1000000000000000:key/${key}`;
    const o = (name: string) => ({ urn: `urn:${name}`, name, type: "t" });
    /** A snapshot known by its id alone, in a share that declares it encrypted (or not), whose role is granted `keys`. */
    function graphOf(declared: boolean, keys: string[]): SharingGraph {
        const graph = emptyGraph();
        graph.items.set("item:s-1", { id: "item:s-1", kind: "snapshot", resourceId: at("resourceId", "s-1"), region: at<string>("region", undefined), account: "default", encryption: { kind: "undeclared", path: "resourceId" }, received: false });
        graph.shares.set("share", {
            id: "share",
            kind: "snapshot",
            method: "resourceShare",
            account: "default",
            region: at("provider.region", "cn-shanghai"),
            items: [{ item: "item:s-1", via: o("resource"), id: at("resourceId", "s-1") }],
            recipients: [{ value: at("targetId", "1234567890123456"), via: o("target") }],
            roleDependencies: new Set(),
            acknowledged: false,
            declaredEncrypted: declared,
            origin: o("share"),
        });
        graph.roles.set("role", { id: "role", kind: "snapshot", name: at("roleName", "AliyunECSShareEncryptSnapshotDefaultRole"), account: "default", declared: false, origin: o("role") });
        const document = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: keys }] });
        graph.policies.set("policy", { id: "policy", name: at("policyName", "kms"), account: "default", document: at("policyDocument", document), keys: [], origin: o("policy") });
        graph.attachments.set("attachment", { id: "attachment", account: "default", role: { node: "role", name: at("roleName", "AliyunECSShareEncryptSnapshotDefaultRole") }, policy: { node: "policy", name: at("policyName", "kms"), system: false }, origin: o("attachment") });
        return graph;
    }
    const mapOf = (graph: SharingGraph) => renderMapText(reportModel({ tool: "preview", title: "t", graph }).graph).split("\n").filter((l) => /^ {4}(snapshot|role|share) /.test(l));

    test("the role granted two keys in the share's region: customer key, which one not said", () => {
        expect(mapOf(graphOf(true, [policyArn("key-first0000001"), policyArn("key-second000001"), policyArn("key-beijing00001", "cn-beijing")]))).toEqual([
            "    snapshot s-1 in cn-shanghai, customer key (its share says so; which key is not known)",
            "    role AliyunECSShareEncryptSnapshotDefaultRole, granted key-first0000001, key-second000001, key-beijing00001",
            "    share share (resource share of snapshots) in cn-shanghai, customer key, role AliyunECSShareEncryptSnapshotDefaultRole",
        ]);
    });

    test("the role granted no key in the share's region: customer key, which one not said", () => {
        expect(mapOf(graphOf(true, [policyArn("key-beijing00001", "cn-beijing")]))).toEqual([
            "    snapshot s-1 in cn-shanghai, customer key (its share says so; which key is not known)",
            "    role AliyunECSShareEncryptSnapshotDefaultRole, granted key-beijing00001",
            "    share share (resource share of snapshots) in cn-shanghai, customer key, role AliyunECSShareEncryptSnapshotDefaultRole",
        ]);
    });

    test("a share that does not declare its items encrypted (taken as encrypted by the role's name alone): no key said, its items not declared", () => {
        expect(mapOf(graphOf(false, [policyArn("key-first0000001")]))).toEqual([
            "    snapshot s-1 in cn-shanghai, encryption not declared",
            "    role AliyunECSShareEncryptSnapshotDefaultRole, granted key-first0000001",
            "    share share (resource share of snapshots) in cn-shanghai, customer key, role AliyunECSShareEncryptSnapshotDefaultRole",
        ]);
    });
});
