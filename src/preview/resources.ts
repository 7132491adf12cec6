/** Captured registrations as the policy engine sees them, and as the stack view reads them. */
import type { RawResource } from "../policy/resources";
import { SECRET_MARK, leafStrings } from "../rules/redact";
import type { TestResource } from "../policy/run";
import type { CapturedResource } from "./capture";

const isProvider = (r: CapturedResource): boolean => r.type.startsWith("pulumi:providers:");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };

/** Whether a captured input value is a secret, as the runtime encodes it (`{ <sig>: <secret sig>, value }`). */
const isSecretValue = (v: unknown): v is { value: unknown } => typeof v === "object" && v !== null && (v as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;

/** A captured value for display: each secret replaced by `[secret]`. */
export function maskSecrets(value: unknown): unknown {
    if (isSecretValue(value)) {
        return SECRET_MARK;
    }
    if (Array.isArray(value)) {
        return value.map(maskSecrets);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
    }
    return value;
}

/** Every secret value inside captured inputs (as the strings a message could quote). */
export function secretValuesIn(value: unknown, out: string[] = []): string[] {
    if (isSecretValue(value)) {
        leafStrings(value.value, out);
    } else if (Array.isArray(value)) {
        value.forEach((v) => secretValuesIn(v, out));
    } else if (typeof value === "object" && value !== null) {
        Object.values(value).forEach((v) => secretValuesIn(v, out));
    }
    return out;
}

/** Captured resources for display: their inputs with secrets masked. */
export const maskedResources = (resources: readonly CapturedResource[]): CapturedResource[] =>
    resources.map((r) => ({ ...r, inputs: maskSecrets(r.inputs) as Record<string, unknown> }));

/** The provider props of each provider reference (`<urn>::<id>`). */
function providerInputs(resources: readonly CapturedResource[]): Map<string, Record<string, unknown>> {
    return new Map(resources.filter(isProvider).map((p) => [`${p.urn}::${p.name}-id`, p.inputs]));
}

/** The default provider as the engine describes it to the analyzer: its URN and the props the stack config gives it. */
export interface DefaultProvider {
    readonly urn: string;
    readonly props: Record<string, unknown>;
}

/** The default alicloud provider of a stack, with the stack's `alicloud:region` and, when it gives one, `alicloud:accountId`. */
export const defaultProviderOf = (project: string, stack: string, region: string, accountId?: string): DefaultProvider => ({
    urn: `urn:pulumi:${stack}::${project}::pulumi:providers:alicloud::default`,
    props: { region, ...(accountId === undefined ? {} : { accountId }) },
});

/**
 * The custom resources of a program, as the analyzer would receive them: each with its provider's URN and props (the
 * given default provider's for resources that use the default one).
 */
export function policyResources(resources: readonly CapturedResource[], defaultProvider?: DefaultProvider): TestResource[] {
    const providers = providerInputs(resources);
    return resources
        .filter((r) => r.custom && !isProvider(r))
        .map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.inputs,
            parent: r.parent || undefined,
            protect: r.protect,
            providerProps: r.provider ? providers.get(r.provider) : defaultProvider?.props,
            providerUrn: r.provider ? r.provider.slice(0, r.provider.lastIndexOf("::")) : defaultProvider?.urn,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        }));
}

/** The custom resources of a program as raw resources (props as given). */
export function rawResources(resources: readonly CapturedResource[], defaultProvider?: DefaultProvider): RawResource[] {
    return policyResources(resources, defaultProvider).map((r) => ({
        type: r.type,
        urn: r.urn!,
        name: r.name!,
        props: r.props,
        providerProps: r.providerProps,
        providerUrn: r.providerUrn,
        parent: r.parent,
        dependencies: r.dependencies ?? [],
        propertyDependencies: r.propertyDependencies ?? {},
    }));
}
