/**
 * One owner account holds one role of each well-known name (S4). Two components of one program that
 * would both create, say, `AliyunECSShareEncryptSnapshotDefaultRole` for the same provider would
 * fight over it; the second one is stopped here with the way out.
 */
import * as pulumi from "@pulumi/pulumi";

const claims = new Map<string, string>();
const providerIds = new WeakMap<pulumi.ProviderResource, number>();
let nextProviderId = 1;

/** The provider a resource will use for `alicloud` resources, when one is set explicitly. */
function alicloudProvider(opts: pulumi.ComponentResourceOptions): pulumi.ProviderResource | undefined {
    if (opts.provider !== undefined) {
        return opts.provider;
    }
    const providers = opts.providers;
    if (providers !== undefined && !Array.isArray(providers)) {
        const p = (providers as Record<string, pulumi.ProviderResource>).alicloud;
        if (p !== undefined) {
            return p;
        }
    }
    return opts.parent?.getProvider("alicloud:ram/role:Role");
}

/** The scope a role name is unique in: the explicit owner account, or the provider that creates it. */
function scopeOf(ownerAccountId: pulumi.Input<string> | undefined, opts: pulumi.ComponentResourceOptions): string {
    if (typeof ownerAccountId === "string") {
        return `account ${ownerAccountId}`;
    }
    const provider = alicloudProvider(opts);
    if (provider === undefined) {
        return "the default provider";
    }
    if (!providerIds.has(provider)) {
        providerIds.set(provider, nextProviderId++);
    }
    return `provider #${providerIds.get(provider)}`;
}

/**
 * Claims the role `roleName` for `claimant` in its scope. Returns undefined when the claim holds (the same
 * claimant may claim again), or the claimant that already holds it.
 */
export function claimShareRole(
    roleName: string,
    claimant: string,
    ownerAccountId: pulumi.Input<string> | undefined,
    opts: pulumi.ComponentResourceOptions,
): string | undefined {
    const key = `${pulumi.getProject()}/${pulumi.getStack()}|${scopeOf(ownerAccountId, opts)}|${roleName}`;
    const holder = claims.get(key);
    if (holder !== undefined && holder !== claimant) {
        return holder;
    }
    claims.set(key, claimant);
    return undefined;
}

/** Forgets every claim. For tests that build several programs in one process. */
export function resetShareRoleClaims(): void {
    claims.clear();
}
