import { PolicyPack } from "@pulumi/policy";
import { policies } from "alicloud-sharing/policy";

new PolicyPack("alicloud-sharing", {
    description: "Alibaba Cloud ECS snapshot and image sharing: limits, share roles, KMS grants and recipients, checked before deployment.",
    policies,
});
