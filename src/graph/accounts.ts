/**
 * Which account a resource lives in: one function for every reader. A resource is in the account its reader can name
 * (a provider's `accountId`, the pack's single `ownerAccountIds`, a component's `ownerAccountId`), else in `default`,
 * the stack's own account, whichever it is. Two scopes that may be one account are judged as one (fail closed): a
 * `default` scope may be any named account, so limits and role names count it together with each of them. Naming the
 * account (on the provider, or `ownerAccountId` on a component) is how a program declares two scopes distinct.
 */
import { isAccountId } from "../alibaba/ids";
import type { AccountKey } from "./model";

/** The scope of resources whose account nobody names: the stack's own. */
export const DEFAULT_ACCOUNT: AccountKey = "default";

/** The account key of what a reader knows: an account id (16 digits), or anything else for `default`. */
export function accountKey(named: unknown): AccountKey {
    return isAccountId(named) ? `account:${named}` : DEFAULT_ACCOUNT;
}

/** The account id of a key, when it names one. */
export function accountIdOf(key: AccountKey): string | undefined {
    const id = key.startsWith("account:") ? key.slice("account:".length) : undefined;
    return isAccountId(id) ? id : undefined;
}

/** Whether two scopes may be one account: the same, or one of them not named. */
export function mayBeSameAccount(a: AccountKey, b: AccountKey): boolean {
    return a === b || a === DEFAULT_ACCOUNT || b === DEFAULT_ACCOUNT;
}

/**
 * The account of a resource as the pack sees it: the single configured owner when there is one, else the account its
 * provider names.
 */
export function accountOfProvider(providerAccountId: unknown, configuredOwners: readonly string[] = []): AccountKey {
    return configuredOwners.length === 1 ? accountKey(configuredOwners[0]) : accountKey(providerAccountId);
}

/** How an account key reads in a message. */
export function describeAccount(key: AccountKey): string {
    const id = accountIdOf(key);
    return id === undefined ? "the stack's account" : `account ${id}`;
}
