/**
 * What one program's components know of each other, per account: the share roles (one of each well-known name per
 * account, S4), and what is shared so far (the accounts each snapshot and image goes to, the snapshots shared: the
 * limits C6, C7 and C17 count across components, as Alibaba Cloud counts them). An account is the provider that
 * creates the resources: `ownerAccountId` names the KMS ARNs but does not move a resource to another account.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../alibaba/names";
import { explicitProvider, isRegionalProvider } from "./provider";

/** A share role a component of the program creates: who holds it, and (once built) what it trusts and which keys it can use. */
export interface ShareRoleClaim {
    readonly claimant: string;
    /** The role component, once constructed; shares that do not create a role depend on its attachment. */
    role?: pulumi.ComponentResource & { readonly attachment: pulumi.Resource };
    /** The recipients the role trusts, as given. */
    targets?: readonly string[];
    /** The keys the role can use, `keyId@region`, when plain values. */
    keys?: readonly string[];
}

const claims = new Map<string, ShareRoleClaim>();
const providerIds = new WeakMap<pulumi.ProviderResource, number>();
let nextProviderId = 1;
/** Per account and resource: the accounts it goes to. Per account: the snapshots shared. */
const accountsByResource = new Map<string, Set<string>>();
const snapshotsByAccount = new Map<string, Set<string>>();

/**
 * The account a component's resources are created in, as a key: its explicit provider, else the default provider.
 * RAM is global: the regional providers this library makes are the default account in other regions, so they share
 * its scope.
 */
export function accountScope(opts: pulumi.ComponentResourceOptions): string {
    const provider = explicitProvider(opts);
    if (provider === undefined || isRegionalProvider(provider)) {
        return `${pulumi.getProject()}/${pulumi.getStack()}|the default provider`;
    }
    if (!providerIds.has(provider)) {
        providerIds.set(provider, nextProviderId++);
    }
    return `${pulumi.getProject()}/${pulumi.getStack()}|provider #${providerIds.get(provider)}`;
}

const keyOf = (roleName: string, opts: pulumi.ComponentResourceOptions): string => `${accountScope(opts)}|${roleName}`;

/** The claimant other than `claimant` that holds the role `roleName` in its account, if any. */
export function shareRoleHolder(roleName: string, claimant: string, opts: pulumi.ComponentResourceOptions): string | undefined {
    const holder = claims.get(keyOf(roleName, opts))?.claimant;
    return holder !== undefined && holder !== claimant ? holder : undefined;
}

/**
 * Claims the role `roleName` for `claimant` in its account. Returns undefined when the claim holds (the same
 * claimant may claim again), or the claimant that already holds it.
 */
export function claimShareRole(roleName: string, claimant: string, opts: pulumi.ComponentResourceOptions): string | undefined {
    const holder = shareRoleHolder(roleName, claimant, opts);
    if (holder === undefined && !claims.has(keyOf(roleName, opts))) {
        claims.set(keyOf(roleName, opts), { claimant });
    }
    return holder;
}

/** Records the role component that holds a claim, with what it trusts and which keys it can use. */
export function registerShareRole(roleName: string, opts: pulumi.ComponentResourceOptions, details: Required<Omit<ShareRoleClaim, "claimant">>): void {
    const claim = claims.get(keyOf(roleName, opts));
    if (claim !== undefined) {
        Object.assign(claim, details);
    }
}

/** The role of a name that a component of the program creates in this account, if any. */
export function shareRoleOf(roleName: string, opts: pulumi.ComponentResourceOptions): ShareRoleClaim | undefined {
    return claims.get(keyOf(roleName, opts));
}

/** What the program already shares in an account, with this component's share added: per resource, the accounts. */
export function programShares(scope: string, kind: ResourceKind, resourceIds: readonly string[], accounts: readonly string[]): { accountsByResource: Map<string, Set<string>>; snapshots: Set<string> } {
    const byResource = new Map<string, Set<string>>();
    for (const id of resourceIds) {
        byResource.set(id, new Set([...(accountsByResource.get(`${scope}|${kind}|${id}`) ?? []), ...accounts]));
    }
    const snapshots = new Set([...(snapshotsByAccount.get(scope) ?? []), ...(kind === "snapshot" ? resourceIds : [])]);
    return { accountsByResource: byResource, snapshots };
}

/** Adds a component's share to the program's (once the component is accepted). */
export function recordShares(scope: string, kind: ResourceKind, resourceIds: readonly string[], accounts: readonly string[]): void {
    for (const id of resourceIds) {
        const key = `${scope}|${kind}|${id}`;
        const set = accountsByResource.get(key) ?? new Set<string>();
        accounts.forEach((a) => set.add(a));
        accountsByResource.set(key, set);
    }
    if (kind === "snapshot") {
        const set = snapshotsByAccount.get(scope) ?? new Set<string>();
        resourceIds.forEach((id) => set.add(id));
        snapshotsByAccount.set(scope, set);
    }
}

/** Forgets every claim and share. For tests that build several programs in one process. */
export function resetShareRoleClaims(): void {
    claims.clear();
    accountsByResource.clear();
    snapshotsByAccount.clear();
}
