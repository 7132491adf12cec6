/**
 * One owner account holds one role of each well-known name (S4). Two components of one program that
 * would both create, say, `AliyunECSShareEncryptSnapshotDefaultRole` for the same provider would
 * fight over it; the second one is stopped here with the way out.
 */
import * as pulumi from "@pulumi/pulumi";
import { explicitProvider, isRegionalProvider } from "./provider";

const claims = new Map<string, string>();
const providerIds = new WeakMap<pulumi.ProviderResource, number>();
let nextProviderId = 1;

/**
 * The scope a role name is unique in: the explicit owner account, or the provider that creates it. RAM is global: the
 * regional providers this library makes are the default account in other regions, so they share its scope.
 */
function scopeOf(ownerAccountId: pulumi.Input<string> | undefined, opts: pulumi.ComponentResourceOptions): string {
    if (typeof ownerAccountId === "string") {
        return `account ${ownerAccountId}`;
    }
    const provider = explicitProvider(opts);
    if (provider === undefined || isRegionalProvider(provider)) {
        return "the default provider";
    }
    if (!providerIds.has(provider)) {
        providerIds.set(provider, nextProviderId++);
    }
    return `provider #${providerIds.get(provider)}`;
}

const keyOf = (roleName: string, ownerAccountId: pulumi.Input<string> | undefined, opts: pulumi.ComponentResourceOptions): string =>
    `${pulumi.getProject()}/${pulumi.getStack()}|${scopeOf(ownerAccountId, opts)}|${roleName}`;

/** The claimant other than `claimant` that holds the role `roleName` in its scope, if any. */
export function shareRoleHolder(roleName: string, claimant: string, ownerAccountId: pulumi.Input<string> | undefined, opts: pulumi.ComponentResourceOptions): string | undefined {
    const holder = claims.get(keyOf(roleName, ownerAccountId, opts));
    return holder !== undefined && holder !== claimant ? holder : undefined;
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
    const holder = shareRoleHolder(roleName, claimant, ownerAccountId, opts);
    if (holder === undefined) {
        claims.set(keyOf(roleName, ownerAccountId, opts), claimant);
    }
    return holder;
}

/** Forgets every claim. For tests that build several programs in one process. */
export function resetShareRoleClaims(): void {
    claims.clear();
}
