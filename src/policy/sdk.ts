import { leafStrings } from "../rules/redact";

/**
 * What `@pulumi/policy` exports at run time but leaves out of its declarations (marked internal): the unknown
 * sentinels, the proxy's target key, and the server's own deserializer. Typed here, once.
 */
export interface PolicyProxyModule {
    readonly getSpecialProxyTarget: string;
    readonly unknownBooleanValue: string;
    readonly unknownNumberValue: string;
    readonly unknownStringValue: string;
    readonly unknownArrayValue: string;
    readonly unknownAssetValue: string;
    readonly unknownArchiveValue: string;
    readonly unknownObjectValue: string;
    unknownCheckingProxy<T extends object>(value: T): T;
    readonly UnknownValueError: new (...args: never[]) => Error;
}
export interface PolicyDeserializeModule {
    /** Takes a protobuf `Struct` of wire-encoded properties (secrets, unknowns), as the analyzer receives them. */
    deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const policyProxy = require("@pulumi/policy/proxy") as PolicyProxyModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const policyDeserialize = require("@pulumi/policy/deserialize") as PolicyDeserializeModule;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };

/** The secret values found in wire-encoded properties: every string inside each value the engine marked secret. */
function secretsIn(wire: unknown, inSecret: boolean, out: string[]): void {
    if (Array.isArray(wire)) {
        wire.forEach((w) => secretsIn(w, inSecret, out));
    } else if (typeof wire === "object" && wire !== null) {
        const object = wire as Record<string, unknown>;
        const secret = inSecret || object[rpc.specialSigKey] === rpc.specialSecretSig;
        Object.entries(object).forEach(([k, v]) => k !== rpc.specialSigKey && secretsIn(v, secret, out));
    } else if (inSecret && (typeof wire === "string" || typeof wire === "number" || typeof wire === "boolean")) {
        out.push(...leafStrings(wire));
    }
}

const secretsByProps = new WeakMap<object, readonly string[]>();

/**
 * The policy server unwraps secrets before a policy sees the props (`deserializeProperties(…, false)`), so a policy
 * cannot tell a secret from any other value, and would quote it. The deserializer is wrapped once, in place, to note
 * the secret values of each props object it makes; the server's own result is returned unchanged.
 */
function trackSecrets(): void {
    const module = policyDeserialize as unknown as { deserializeProperties: PolicyDeserializeModule["deserializeProperties"] & { tracksSecrets?: true } };
    if (module.deserializeProperties.tracksSecrets) {
        return;
    }
    const original = module.deserializeProperties;
    const tracking = ((struct: unknown, proxySecrets: boolean) => {
        const props = original(struct, proxySecrets);
        const wire = (struct as { toJavaScript?(): unknown }).toJavaScript?.();
        const secrets: string[] = [];
        secretsIn(wire, false, secrets);
        if (secrets.length > 0) {
            secretsByProps.set(props, secrets);
        }
        return props;
    }) as typeof module.deserializeProperties;
    tracking.tracksSecrets = true;
    module.deserializeProperties = tracking;
}
trackSecrets();

/** The secret values of props the policy server deserialized (empty when none, or when not made by the server). */
export function secretValuesOf(props: unknown): readonly string[] {
    return typeof props === "object" && props !== null ? (secretsByProps.get(props) ?? []) : [];
}
