import { Provider } from "@pulumi/alicloud/provider";
import { SharedImage, ShareeImageAccess } from "alicloud-sharing";

// The platform team's golden images, encrypted with a customer-managed key, shared with every account under the
// platform folder, in Shanghai and, through encrypted copies, in Beijing (C18, C19). Accounts that join the folder
// later get the images too (C24).
const golden = new SharedImage("golden", {
    imageIds: ["m-uf6golden00001", "m-uf6golden00002"],
    kmsKeyId: "key-shh6golden0001",
    folderPaths: ["rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1"],
    copyToRegions: ["cn-beijing"],
    copyKmsKeyIds: { "cn-beijing": "key-bjs6golden0001" },
});

// In a workload account of that folder: its CI role and operators may see and launch the shared images (C25).
const workload = new Provider("workload", { region: "cn-shanghai", profile: "workload" });
new ShareeImageAccess("launch-golden", { roleNames: ["ci-deployer"], groupNames: ["operators"] }, { provider: workload });

export const imagesByRegion = golden.imageIdsByRegion;
