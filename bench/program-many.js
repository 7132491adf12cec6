// Many small shares in one program, in a process of its own: `n` SharedSnapshot components of one snapshot and two
// accounts each, or the identical raw resources, under the mock runtime; prints {ms, resources} once all are answered.
// usage: node bench/program-many.js <component|raw> <n>
const [variant, nArg] = process.argv.slice(2);
const n = Number(nArg);
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setAllConfig({ "alicloud:region": "cn-shanghai", "alicloud-sharing:maxSharedSnapshotsPerOwner": String(Math.max(1024, n)) });
const { captureRegistrations } = require("../dist/preview/capture");
const capture = captureRegistrations({ project: "bench", stack: "bench", accountId: "1000000000000000", region: "cn-shanghai" });
const accounts = ["2000000000000001", "2000000000000002"];
const id = (i) => `s-${String(i).padStart(8, "0")}`;
const start = process.hrtime.bigint();
if (variant === "raw") {
    const rm = require("@pulumi/alicloud/resourcemanager");
    for (let i = 0; i < n; i++) {
        const s = new rm.ResourceShare(`c${i}-share`, { resourceShareName: `c${i}`, allowExternalTargets: true, tags: { "alicloud-sharing-unencrypted-data": "acknowledged" } }, { protect: true });
        new rm.SharedResource(`c${i}-snapshot-${id(i)}`, { resourceShareId: s.id, resourceId: id(i), resourceType: "Snapshot" }, { protect: true });
        for (const a of accounts) new rm.SharedTarget(`c${i}-target-${a}`, { resourceShareId: s.id, targetId: a }, { protect: true });
    }
} else {
    const lib = require("../dist");
    for (let i = 0; i < n; i++) new lib.SharedSnapshot(`c${i}`, { snapshotIds: [id(i)], accountIds: accounts, region: "cn-shanghai", unencryptedDataAcknowledged: true });
}
capture.settle().then(() => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    process.stdout.write(JSON.stringify({ ms, resources: capture.resources.filter((r) => r.custom).length }) + "\n");
    process.exit(0);
});
