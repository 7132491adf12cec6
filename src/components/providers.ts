/**
 * The two sharee-side steps that have no resource in @pulumi/alicloud, as Pulumi dynamic providers: accepting a
 * share invitation (C13) and copying a snapshot with a customer-managed key (C8, C12).
 *
 * A dynamic provider is serialized, with everything its functions reach, into each resource's `__provider` input,
 * which is stored in the state. These are thin shells: they reach nothing but `loadSdk` and `logProgress`, which load
 * `alicloud-sharing/sdk` and `@pulumi/pulumi` by package name when they run. No `pulumi.Config` (which would carry
 * the stack's whole config, secrets included), no setting, no credential. Settings are the resources' inputs;
 * credentials are read by the SDK at run time from the environment or Alibaba's default credential chain.
 */
import type * as pulumi from "@pulumi/pulumi";

export type { ApiInputs, ShareAcceptanceInputs, ShareAcceptanceOutputs, SnapshotCopyInputs, SnapshotCopyOutputs } from "../sdk";

/** The SDK module, loaded by package name when a provider runs (so the provider serializes as a reference to it). */
type Sdk = typeof import("../sdk");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadSdk = (): Sdk => require("alicloud-sharing/sdk");

/** Progress to Pulumi's log, loaded when it runs: capturing `pulumi` would capture its config store. */
const logProgress = {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    log: (message: string): void => void (require("@pulumi/pulumi") as typeof pulumi).log.info(message),
};

/** ShareAcceptance: accepts on create and update (already accepted is success); delete does nothing. */
export const shareAcceptanceProvider: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => loadSdk().shareAcceptanceSteps.check(olds, news),
    diff: (id, olds, news) => loadSdk().shareAcceptanceSteps.diff(id, olds, news),
    create: (inputs) => loadSdk().shareAcceptanceSteps.create(inputs),
    update: (id, olds, news) => loadSdk().shareAcceptanceSteps.update(id, olds, news),
    delete: () => loadSdk().shareAcceptanceSteps.delete(),
};

/** SnapshotCopy: copies on create and waits (progress logged); update waits for the copy again; delete deletes it. */
export const snapshotCopyProvider: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => loadSdk().snapshotCopySteps.check(olds, news),
    diff: (id, olds, news) => loadSdk().snapshotCopySteps.diff(id, olds, news),
    create: (inputs) => loadSdk().snapshotCopySteps.create(inputs, logProgress),
    update: (id, olds, news) => loadSdk().snapshotCopySteps.update(id, olds, news, logProgress),
    delete: (id, outs) => loadSdk().snapshotCopySteps.delete(id, outs),
};
