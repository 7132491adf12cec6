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
