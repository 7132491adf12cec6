/** Captured registrations as the policy engine sees them, as the stack view reads them, and as the report shows them. */
import type { RawResource } from "../policy/resources";
import { SECRET_MARK, leafStrings } from "../rules/redact";
import type { TestResource } from "../policy/run";
import { UNKNOWN_MARK } from "../report/model";
import type { CapturedResource } from "./monitor";

const isProvider = (r: CapturedResource): boolean => r.type.startsWith("pulumi:providers:");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string; unknownValue: string };

export { UNKNOWN_MARK };

/** A captured value for the report: each value unknown at preview shown as `[unknown]`. */
export function shownValue(value: unknown): unknown {
    if (value === rpc.unknownValue) {
        return UNKNOWN_MARK;
    }
    if (Array.isArray(value)) {
        return value.map(shownValue);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shownValue(v)]));
    }
    return value;
}

/**
 * The inputs of a provider that hold credentials, at any depth (the provider's nested settings, `assumeRole` and
 * `assumeRoleWithOidc`, arrive as JSON text): shown as `[secret]` and never quoted, secret or not.
 */
const CREDENTIAL_INPUT = /^(accessKey|accessKeyId|accessKeySecret|secretKey|securityToken|stsToken|password|credentialsUri|externalId|oidcToken)$/i;

/** A provider's input value with its credentials masked, and the credentials noted. */
function maskCredentials(key: string, value: unknown, found: string[]): unknown {
    if (CREDENTIAL_INPUT.test(key)) {
        leafStrings(value, found);
        return SECRET_MARK;
    }
    if (typeof value === "string" && /^\s*\{/.test(value)) {
        try {
            const nested = JSON.parse(value) as unknown;
            const masked = maskCredentials("", nested, found);
            return JSON.stringify(nested) === JSON.stringify(masked) ? value : JSON.stringify(masked);
        } catch {
            return value;
        }
    }
    if (Array.isArray(value)) {
        return value.map((v) => maskCredentials("", v, found));
    }
    if (typeof value === "object" && value !== null && !isSecretValue(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskCredentials(k, v, found)]));
    }
    return value;
}

/** A provider's inputs with every credential shown as `[secret]`; the credentials' values are added to `found`. */
export function withoutCredentials(inputs: Record<string, unknown>, found: string[] = []): Record<string, unknown> {
    return maskCredentials("", inputs, found) as Record<string, unknown>;
}

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

/** The URN of a provider reference (`<urn>::<id>`). */
export const providerUrnOfReference = (reference: string): string => reference.slice(0, reference.lastIndexOf("::"));

/** The provider props by provider URN. */
function providerInputs(resources: readonly CapturedResource[]): Map<string, Record<string, unknown>> {
    return new Map(resources.filter(isProvider).map((p) => [p.urn, p.inputs]));
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
            providerProps: r.provider ? providers.get(providerUrnOfReference(r.provider)) : defaultProvider?.props,
            providerUrn: r.provider ? providerUrnOfReference(r.provider) : defaultProvider?.urn,
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
