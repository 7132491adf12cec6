/**
 * The mock runtime, recording every registration as the engine would receive it: type, name, parent,
 * inputs, dependencies, protect flag and provider. Call `installMocks` before importing code that creates
 * resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { TYPES } from "../../src/alibaba/resourceTypes";
import { typeToken } from "../../src/components/common";
import { CapturedResource, captureRegistrations, mockId } from "../../src/preview/capture";

export type Registration = CapturedResource;

export const OWNER = "1111111111111111";
export const REGION = "cn-hangzhou";
export { mockId };

export interface MockOptions {
    accountId?: string;
    region?: string;
}

export interface Recorder {
    readonly registrations: Registration[];
    /** Waits until every registration started so far has been answered. */
    settle(): Promise<void>;
    /** The custom (non-component) registrations, optionally of one type. */
    resources(type?: string): Registration[];
    byName(name: string): Registration;
    clear(): void;
}

/** The mock runtime with a recorder (the offline preview's), and what the tests ask of it. */
export function installMocks(options: MockOptions = {}): Recorder {
    const capture = captureRegistrations({ project: "project", stack: "stack", accountId: options.accountId ?? OWNER, region: options.region ?? REGION });
    const registrations = capture.resources;
    return {
        registrations,
        settle: () => capture.settle(),
        resources: (type) => registrations.filter((r) => r.custom && (type === undefined || r.type === type)),
        byName(name) {
            const found = registrations.filter((r) => r.name === name);
            if (found.length !== 1) {
                throw new Error(`expected one registration named ${name}, found ${found.length}: ${registrations.map((r) => r.name).join(", ")}`);
            }
            return found[0];
        },
        clear: () => registrations.splice(0, registrations.length),
    };
}

/** The value of an output, or its error. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

/** Sets a stack config value of the `alicloud-sharing` namespace (objects as JSON). */
export function setLibraryConfig(key: string, value: unknown): void {
    pulumi.runtime.setConfig(`alicloud-sharing:${key}`, typeof value === "string" ? value : JSON.stringify(value));
}

/** The last part of a URN: the resource's name. */
export const nameOf = (urn: string): string => urn.split("::").pop() ?? urn;

/** `type name` of each registration, sorted: the shape of what a program registered. */
export function shape(registrations: readonly Registration[]): string[] {
    return registrations.map((r) => `${r.type} ${r.name}`).sort();
}

/** The type tokens the tests look for, from where the library writes them. */
export const T = {
    snapshotShare: typeToken("SharedSnapshot"),
    imageShare: typeToken("SharedImage"),
    role: typeToken("EncryptedShareRole"),
    ramRole: TYPES.role,
    policy: TYPES.policy,
    attachment: TYPES.rolePolicyAttachment,
    provider: TYPES.provider,
    copy: TYPES.imageCopy,
    permission: TYPES.imageSharePermission,
    share: TYPES.resourceShare,
    resource: TYPES.sharedResource,
    target: TYPES.sharedTarget,
} as const;

/** Runs `fn` with `alicloud-sharing:*` config values set, then (once its promise settles, if it returns one) restores the config exactly as it was. */
export function withLibraryConfig<T>(values: Record<string, unknown>, fn: () => T): T {
    const before = pulumi.runtime.allConfig();
    for (const [key, value] of Object.entries(values)) {
        setLibraryConfig(key, value);
    }
    let result: T;
    try {
        result = fn();
    } catch (e) {
        pulumi.runtime.setAllConfig(before);
        throw e;
    }
    if (result instanceof Promise) {
        return result.finally(() => pulumi.runtime.setAllConfig(before)) as T;
    }
    pulumi.runtime.setAllConfig(before);
    return result;
}

export { policyResources as asPolicyResources } from "../../src/preview/resources";

/** The pack's policies and their default enforcement levels, as served. */
export const PACK_LEVELS = {
    "sharing-share-role": "mandatory",
    "sharing-share-role-attachment": "mandatory",
    "sharing-resource-share": "mandatory",
    "sharing-image-permission": "mandatory",
    "sharing-recipients": "mandatory",
    "sharing-sharee-disk": "mandatory",
    "sharing-limits": "mandatory",
    "sharing-directory-and-accounts": "advisory",
    "sharing-share-contents": "mandatory",
    "sharing-share-roles": "mandatory",
    "sharing-shared-keys": "mandatory",
    "sharing-encrypted-images": "mandatory",
    "sharing-regions": "mandatory",
    "sharing-unencrypted-snapshots": "advisory",
    "sharing-exemptions": "advisory",
} as const;
