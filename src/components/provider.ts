/**
 * Where a component works: the region it is judged for is the region it deploys to. Given `region`, the component's
 * children go through a provider of that region (one per region per program, reused by every component and copy
 * region) unless a provider is passed; with a provider passed, a `region` that differs from the provider's is an error
 * at preview. Defaults read from the provider: the caller's account and the provider's region. An owner account given
 * is compared with the account the provider names, as the policy pack reads it (`owner-account-matches-provider`).
 */
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/alicloud/getCallerIdentity";
import { getRegionsOutput } from "@pulumi/alicloud/getRegions";
import { Provider, ProviderArgs } from "@pulumi/alicloud/provider";
import { isAccountId } from "../alibaba/ids";
import { TYPES } from "../alibaba/resourceTypes";
import type { ProviderAccountFact } from "../intent/model";
import { PACKAGE } from "./common";
import { programAccountsOnceBuilt } from "./programGraph";

/** Whether a stack config key is secret: the runtime knows, its declarations do not say. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/**
 * The settings of the default provider, from the stack's `alicloud:` config (credentials, profile, `assumeRole`,
 * `accountId`, endpoints…): every key but the region, objects parsed from their JSON, secrets kept secret. The
 * providers made here act as the default provider does, in another region.
 */
function defaultProviderSettings(): Record<string, pulumi.Input<unknown>> {
    const settings: Record<string, pulumi.Input<unknown>> = {};
    for (const [key, raw] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith("alicloud:") || key === "alicloud:region") {
            continue;
        }
        let value: unknown = raw;
        if (/^\s*[[{]/.test(raw)) {
            try {
                value = JSON.parse(raw);
            } catch {
                // Not JSON: the provider receives the text, as from the default provider's config.
            }
        }
        settings[key.slice("alicloud:".length)] = runtimeConfig.isConfigSecret(key) ? pulumi.secret(value) : value;
    }
    return settings;
}

const regional = new Map<string, Provider>();

/** The provider of a region for this program: created on first use, named `alicloud-sharing-<region>`, with the stack's `alicloud:` settings. */
export function regionalProvider(region: string): Provider {
    const key = `${pulumi.getProject()}/${pulumi.getStack()}|${region}`;
    let provider = regional.get(key);
    if (provider === undefined) {
        provider = new Provider(`${PACKAGE}-${region}`, { ...defaultProviderSettings(), region } as ProviderArgs);
        regional.set(key, provider);
        made.add(provider);
    }
    return provider;
}

/** Forgets the regional providers. For tests that build several programs in one process. */
export function resetRegionalProviders(): void {
    regional.clear();
}

/** The package a provider is for (`alicloud`), read through the SDK's run-time method. */
const packageOf = (p: pulumi.ProviderResource): string | undefined => (p as unknown as { getPackage?(): string }).getPackage?.();

/** Whether this module made the provider (a regional one): it is the program's default account in another region. */
export function isRegionalProvider(p: pulumi.ProviderResource): boolean {
    return made.has(p);
}
const made = new WeakSet<pulumi.ProviderResource>();

/** The provider a component's `alicloud` resources will use when one is set explicitly (itself, in its providers, or inherited). */
export function explicitProvider(opts: pulumi.ComponentResourceOptions): pulumi.ProviderResource | undefined {
    const own = opts.provider;
    if (own !== undefined && packageOf(own) === "alicloud") {
        return own;
    }
    const providers = opts.providers;
    const listed = Array.isArray(providers)
        ? providers.find((p) => packageOf(p) === "alicloud")
        : (providers as Record<string, pulumi.ProviderResource> | undefined)?.alicloud;
    return listed ?? opts.parent?.getProvider(TYPES.role);
}

/** Where a component's resources go. */
export interface Placement {
    /** The options for the component: the given ones, with the regional provider added when one is used. */
    readonly opts: pulumi.ComponentResourceOptions;
    /** The provider passed by the caller, when there is one (its region is compared with `region` at deploy time). */
    readonly explicit?: pulumi.ProviderResource;
}

/**
 * Decides the provider of a component's children from its `region` argument: the explicit provider when one is
 * passed; the default provider when `region` is the stack's `alicloud:region`; otherwise the program's provider of that
 * region. A `region` that is not a plain string yet gets a provider of its own.
 */
export function placement(name: string, region: pulumi.Input<string> | undefined, opts: pulumi.ComponentResourceOptions): Placement {
    const explicit = explicitProvider(opts);
    if (explicit !== undefined || region === undefined) {
        return { opts, explicit };
    }
    if (typeof region === "string" && region === new pulumi.Config("alicloud").get("region")) {
        return { opts };
    }
    const provider = typeof region === "string" ? regionalProvider(region) : new Provider(`${name}-provider`, { region }, { parent: opts.parent });
    made.add(provider);
    const providers = opts.providers;
    return {
        opts: {
            ...opts,
            providers: Array.isArray(providers) ? [...providers, provider] : { ...(providers as Record<string, pulumi.ProviderResource> | undefined), alicloud: provider },
        },
    };
}

/**
 * The account a component's provider names, as the policy pack reads it: a provider's `accountId`, or for the default
 * provider (and the regional ones, made with its settings) the stack config `alicloud:accountId`; none when it names
 * none (or names something that is not an account id).
 */
export type ProviderAccount = Omit<ProviderAccountFact, "programAccounts">;

const namedAccount = (value: unknown): string | undefined => (typeof value === "string" && isAccountId(value) ? value : undefined);

/** The default provider's account: the stack config `alicloud:accountId`, and whether it is secret. */
function configAccount(): { accountId: string | undefined; secret: boolean } {
    return { accountId: namedAccount(new pulumi.Config("alicloud").get("accountId")), secret: runtimeConfig.isConfigSecret("alicloud:accountId") };
}

/**
 * The account of the provider a component with these options will use, when it is known now: the default provider's
 * (and a regional one's) from the stack config, unless secret (then it is judged at deploy time, where secrets are
 * redacted). A provider passed in says its account only once it is registered: undefined.
 */
export function providerAccountNow(opts: pulumi.ComponentResourceOptions): ProviderAccount | undefined {
    const explicit = explicitProvider(opts);
    if (explicit !== undefined && !isRegionalProvider(explicit)) {
        return undefined;
    }
    const config = configAccount();
    return config.secret ? undefined : { accountId: config.accountId, source: "config" };
}

/** The account of the provider a registered component's `alicloud` resources use (its own, inherited, or the default). */
export function providerAccount(component: pulumi.Resource): pulumi.Output<ProviderAccount> {
    const provider = component.getProvider(TYPES.role);
    if (provider === undefined || isRegionalProvider(provider)) {
        const config = configAccount();
        const value: ProviderAccount = { accountId: config.accountId, source: "config" };
        return config.secret ? pulumi.secret(value) : pulumi.output(value);
    }
    const named = (provider as unknown as { accountId?: pulumi.Input<string | undefined> }).accountId;
    return pulumi.output(named).apply((accountId): ProviderAccount => ({ accountId: namedAccount(accountId), source: "provider" }));
}

/**
 * What `owner-account-matches-provider` compares a given `ownerAccountId` with, once every value is known and the
 * program has built its components: the provider's account, and (for an owner given as a plain value, the account the
 * program's graph holds the component in) the accounts the program's components name. Undefined without an owner.
 * Call at construction: the program's accounts are those of the components built in the same turn.
 */
export function providerAccountFact(component: pulumi.Resource, ownerAccountId: pulumi.Input<string> | undefined): pulumi.Output<ProviderAccountFact | undefined> {
    if (ownerAccountId === undefined) {
        return pulumi.output(undefined);
    }
    // An owner given as an output is in the graph's unnamed account, as the pack reads a provider that names none.
    const programAccounts = typeof ownerAccountId === "string" ? programAccountsOnceBuilt() : undefined;
    return pulumi.all([providerAccount(component), programAccounts]).apply(([account, accounts]): ProviderAccountFact => ({ ...account, ...(accounts === undefined ? {} : { programAccounts: accounts }) }));
}

/** The given owner account, or the account of the provider's credentials (`getCallerIdentity`). */
export function ownerAccountOrCaller(given: pulumi.Input<string> | undefined, parent: pulumi.Resource): pulumi.Output<string> {
    return given !== undefined ? pulumi.output(given) : getCallerIdentityOutput({ parent }).accountId;
}

/** The region of the provider the component's children use (`getRegions` with `current`). */
export function providerRegion(parent: pulumi.Resource): pulumi.Output<string> {
    return getRegionsOutput({ current: true }, { parent }).apply((r) => r.ids[0]);
}

/** The given region, or the region of the provider (`getRegions` with `current`). */
export function regionOrProviders(given: pulumi.Input<string> | undefined, parent: pulumi.Resource): pulumi.Output<string> {
    return given !== undefined ? pulumi.output(given) : providerRegion(parent);
}
