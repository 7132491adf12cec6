import * as resourcemanager from "@pulumi/alicloud/resourcemanager";

// A team that writes raw resources instead of the components: an unencrypted snapshot share with two accounts. The
// policy pack judges these resources as it judges the components' (resource by resource, then the whole stack). The
// tag acknowledges that the snapshot holds nothing sensitive (C33), as `unencryptedDataAcknowledged` does on SharedSnapshot.
const share = new resourcemanager.ResourceShare("analytics", {
    resourceShareName: "analytics-snapshots",
    allowExternalTargets: true,
    tags: { "alicloud-sharing-unencrypted-data": "acknowledged" },
});
new resourcemanager.SharedResource("analytics-snapshot", { resourceShareId: share.id, resourceId: "s-uf6analytics001", resourceType: "Snapshot" });
for (const accountId of ["1234567890123456", "2345678901234567"]) {
    new resourcemanager.SharedTarget(`analytics-${accountId}`, { resourceShareId: share.id, targetId: accountId });
}
