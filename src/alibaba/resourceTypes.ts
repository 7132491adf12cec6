/** The Pulumi type tokens of the `@pulumi/alicloud` resources that take part in sharing. Written once, used everywhere. */
export const TYPES = {
    role: "alicloud:ram/role:Role",
    policy: "alicloud:ram/policy:Policy",
    rolePolicyAttachment: "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
    resourceShare: "alicloud:resourcemanager/resourceShare:ResourceShare",
    sharedResource: "alicloud:resourcemanager/sharedResource:SharedResource",
    sharedTarget: "alicloud:resourcemanager/sharedTarget:SharedTarget",
    imageSharePermission: "alicloud:ecs/imageSharePermission:ImageSharePermission",
    imageCopy: "alicloud:ecs/imageCopy:ImageCopy",
    copyImage: "alicloud:ecs/copyImage:CopyImage",
    instance: "alicloud:ecs/instance:Instance",
    resourceManagerPolicyAttachment: "alicloud:resourcemanager/policyAttachment:PolicyAttachment",
    image: "alicloud:ecs/image:Image",
    snapshot: "alicloud:ecs/snapshot:Snapshot",
    ecsSnapshot: "alicloud:ecs/ecsSnapshot:EcsSnapshot",
    ecsDisk: "alicloud:ecs/ecsDisk:EcsDisk",
    disk: "alicloud:ecs/disk:Disk",
    kmsKey: "alicloud:kms/key:Key",
    provider: "pulumi:providers:alicloud",
} as const;

/** The type of the Node dynamic resources (ShareAcceptance's and SnapshotCopy's steps). */
export const DYNAMIC_RESOURCE_TYPE = "pulumi-nodejs:dynamic/alicloud-sharing:Resource";
