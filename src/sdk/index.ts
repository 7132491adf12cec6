/**
 * alicloud-sharing/sdk: the Alibaba Cloud calls of the sharee-side providers, through Alibaba's official SDK
 * packages, and what the providers do. The dynamic providers load this module by its package name when they run, so
 * nothing of it (and no setting, config or credential) is serialized into a stack's state.
 */
export * from "./settings";
export * from "./errors";
export * from "./ecs";
export * from "./resourceSharing";
export * from "./dynamic";
