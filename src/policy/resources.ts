/**
 * The raw view of a resource as the policy engine hands it over: props unwrapped from the SDK's unknown-checking
 * proxy, unknown values kept as their sentinels and read as `undefined` by the intent builders, so that no policy
 * ever trips the proxy (which would turn a security check into an advisory "can't run during preview", S6).
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { TYPES } from "../alibaba/resourceTypes";
import { Located, at } from "../intent/model";
import { policyProxy, secretValuesOf } from "./sdk";

/** The type tokens of the raw resources the pack judges (written once, in alibaba/resourceTypes). */
export { TYPES };

/** A resource as the pack reads it. */
export interface RawResource {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly props: Readonly<Record<string, unknown>>;
    /** The props of the resource's provider, when the engine sent them (its region, its account). */
    readonly providerProps?: Readonly<Record<string, unknown>>;
    /** The URN of the resource's provider, when the engine sent it: resources of one provider are in one account. */
    readonly providerUrn?: string;
    readonly parent?: string;
    readonly dependencies: readonly string[];
    /** For each property, the URNs of the resources its value came from. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** The values of its (and its provider's) properties the engine marked secret: never to be quoted. */
    readonly secrets?: readonly string[];
}

const SENTINELS = new Set<unknown>([
    policyProxy.unknownBooleanValue,
    policyProxy.unknownNumberValue,
    policyProxy.unknownStringValue,
    policyProxy.unknownArrayValue,
    policyProxy.unknownAssetValue,
    policyProxy.unknownArchiveValue,
    policyProxy.unknownObjectValue,
]);

/** Whether a value is unknown at preview. */
export const isUnknown = (value: unknown): boolean => SENTINELS.has(value);

/** The plain object behind the SDK's proxy (or the object itself). */
export function unwrap(props: unknown): Record<string, unknown> {
    if (typeof props !== "object" || props === null) {
        return {};
    }
    const target = (props as Record<string, unknown>)[policyProxy.getSpecialProxyTarget];
    return (target ?? props) as Record<string, unknown>;
}

/** A raw value as a located string: unknown is `undefined`; a non-string is shown as JSON, so the rules see it and say so. */
export function locatedString(path: string, value: unknown): Located<string> {
    if (isUnknown(value) || value === undefined) {
        return at<string>(path, undefined);
    }
    return at(path, typeof value === "string" ? value : JSON.stringify(value));
}

/** A raw list: unknown or absent is `undefined`, a single value a list of one. */
export function rawList(value: unknown): unknown[] | undefined {
    if (value === undefined || value === null || isUnknown(value)) {
        return undefined;
    }
    return Array.isArray(value) ? value : [value];
}

/** The first of several property names that is present (new and deprecated names of one field). */
export function firstProp(props: Readonly<Record<string, unknown>>, ...names: string[]): { name: string; value: unknown } {
    for (const name of names) {
        if (props[name] !== undefined && props[name] !== null) {
            return { name, value: props[name] };
        }
    }
    return { name: names[0], value: undefined };
}

/** The secret values of a resource's props and its provider's. */
const secretsOf = (props: unknown, providerProps: unknown): string[] => [...secretValuesOf(unwrap(props)), ...secretValuesOf(unwrap(providerProps))];

/** The raw view of a resource under validation. */
export function fromResourceArgs(args: ResourceValidationArgs): RawResource {
    return {
        type: args.type,
        urn: args.urn,
        name: args.name,
        props: unwrap(args.props),
        providerProps: args.provider ? unwrap(args.provider.props) : undefined,
        providerUrn: args.provider?.urn,
        parent: args.opts?.parent,
        dependencies: [],
        propertyDependencies: {},
        secrets: secretsOf(args.props, args.provider?.props),
    };
}

/** The raw view of a resource of a stack. */
export function fromPolicyResource(resource: PolicyResource): RawResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, deps] of Object.entries(resource.propertyDependencies ?? {})) {
        propertyDependencies[key] = (deps ?? []).map((d) => d.urn);
    }
    return {
        type: resource.type,
        urn: resource.urn,
        name: resource.name,
        props: unwrap(resource.props),
        providerProps: resource.provider ? unwrap(resource.provider.props) : undefined,
        providerUrn: resource.provider?.urn,
        parent: resource.parent?.urn,
        dependencies: (resource.dependencies ?? []).map((d) => d.urn),
        propertyDependencies,
        secrets: secretsOf(resource.props, resource.provider?.props),
    };
}
