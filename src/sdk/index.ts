/**
 * alicloud-sharing/sdk: the Alibaba Cloud calls of the sharee-side providers, through Alibaba's official SDK
 * packages. The dynamic providers load this module by its package name when they run, so nothing of it (and no
 * credential) is serialized into a stack's state.
 */
export * from "./settings";
export * from "./errors";
export * from "./ecs";
export * from "./resourceSharing";
