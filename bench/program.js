// One measured program, in a process of its own: builds a sharing setup with the components or with the identical
// raw resources, under the mock runtime, and prints {ms, resources, rssMiB} once every registration is answered.
// usage: node bench/program.js <snapshot|image> <component|raw> <items> <accounts> [resourceShare|imagePermission]
const [kind, variant, itemsArg, accountsArg, method = "resourceShare"] = process.argv.slice(2);
const items = Number(itemsArg);
const accounts = Number(accountsArg);
const pulumi = require("@pulumi/pulumi");
// Limits raised to the sizes measured (the scale runs share more snapshots than one owner may, C7).
pulumi.runtime.setAllConfig({
    // The stack's region is the share's: the components use the default provider, as the raw program does.
    "alicloud:region": "cn-shanghai",
    "alicloud-sharing:imageShareQuota": String(Math.max(50, accounts)),
    "alicloud-sharing:maxAccountsPerSnapshot": String(Math.max(64, accounts)),
    "alicloud-sharing:maxSharedSnapshotsPerOwner": String(Math.max(1024, items)),
});
const { captureRegistrations } = require("../dist/preview/capture");
const capture = captureRegistrations({ project: "bench", stack: "bench", accountId: "1000000000000000", region: "cn-shanghai" });

const pad = (n) => String(n).padStart(8, "0");
const ids = Array.from({ length: items }, (_, i) => (kind === "snapshot" ? `s-${pad(i)}` : `m-${pad(i)}`));
const accountIds = Array.from({ length: accounts }, (_, i) => String(2000000000000000 + i));
const KEY = "key-bench0000000001";

function raw() {
    const ram = require("@pulumi/alicloud/ram");
    const rm = require("@pulumi/alicloud/resourcemanager");
    const ecs = require("@pulumi/alicloud/ecs");
    const lib = require("../dist");
    const roleName = kind === "snapshot" ? "AliyunECSShareEncryptSnapshotDefaultRole" : "AliyunECSShareEncryptImageDefaultRole";
    const role = new ram.Role("b-role", { roleName, assumeRolePolicyDocument: lib.renderDocument(lib.trustPolicy({ accountIds })), maxSessionDuration: 3600 });
    const policy = new ram.Policy("b-kms-policy", { policyName: `alicloud-sharing-${kind}-kms`, policyDocument: lib.renderDocument(lib.kmsSharePolicy([{ keyId: KEY, region: "cn-shanghai", ownerAccountId: "1000000000000000" }])) });
    const attachment = new ram.RolePolicyAttachment("b-attachment", { roleName: role.roleName, policyName: policy.policyName, policyType: "Custom" });
    const opts = { protect: true, dependsOn: [attachment] };
    if (method === "imagePermission") {
        for (const id of ids) for (const a of accountIds) new ecs.ImageSharePermission(`b-permission-${id}-${a}`, { imageId: id, accountId: a }, opts);
        return;
    }
    const share = new rm.ResourceShare("b-share", { resourceShareName: "b", allowExternalTargets: true }, opts);
    const type = kind === "snapshot" ? "Snapshot" : "Image";
    for (const id of ids) new rm.SharedResource(`b-${kind}-${id}`, { resourceShareId: share.id, resourceId: id, resourceType: type }, opts);
    for (const a of accountIds) new rm.SharedTarget(`b-target-${a}`, { resourceShareId: share.id, targetId: a }, opts);
}

function component() {
    const lib = require("../dist");
    if (kind === "snapshot") {
        new lib.SharedSnapshot("b", { snapshotIds: ids, accountIds, kmsKeyId: KEY, region: "cn-shanghai" });
    } else {
        new lib.SharedImage("b", { imageIds: ids, accountIds, kmsKeyId: KEY, region: "cn-shanghai", method });
    }
}

const start = process.hrtime.bigint();
(variant === "raw" ? raw : component)();
capture.settle().then(() => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const resources = capture.resources.filter((r) => r.custom).length;
    process.stdout.write(JSON.stringify({ ms, resources, rssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }) + "\n");
    process.exit(0);
});
