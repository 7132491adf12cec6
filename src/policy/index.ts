/**
 * alicloud-sharing/policy: the policies of the pack, to serve as they are (`policypack/`) or to compose into an
 * organization's own pack. Importing this module starts nothing; only `new PolicyPack(...)` does.
 */
export { policies } from "./policies";
export { sharingPolicies } from "./configured";
export { ENFORCEMENT_LEVELS, PolicyConfigError, packConfigProblems, resolvedPolicyConfig } from "./config";
export type { SharingPoliciesConfig } from "./config";
export * from "./policies";
export { readSettings, configSchema, SETTINGS_SCHEMA } from "./settings";
export type { Exemption, PolicySettings, ReceivedSnapshot, SettingName } from "./settings";
export { sharingResourcePolicy, sharingStackPolicy, exemptionsInUse } from "./framework";
export type { Subject, SharingResourcePolicyDefinition, SharingStackPolicyDefinition } from "./framework";
export { TYPES, fromPolicyResource, fromResourceArgs, isUnknown } from "./resources";
export type { RawResource } from "./resources";
export { stackView } from "./stack";
