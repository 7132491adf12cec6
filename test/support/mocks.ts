/**
 * The mock runtime, recording every registration as the engine would receive it: type, name, parent,
 * inputs, dependencies, protect flag and provider. Call `installMocks` before importing code that creates
 * resources.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent: string;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
    readonly dependencies: string[];
    /** For each input, the URNs of the resources its value came from. */
    readonly propertyDependencies: Record<string, string[]>;
    readonly protect: boolean;
    readonly provider: string;
}

export const OWNER = "1111111111111111";

/** Ids as Alibaba Cloud shapes them where the shape matters (images, snapshots), else `<name>-id`. */
export function mockId(type: string, name: string): string {
    const hash = createHash("sha1").update(name).digest("hex").slice(0, 20);
    switch (type) {
        case "alicloud:ecs/imageCopy:ImageCopy":
        case "alicloud:ecs/image:Image":
            return `m-${hash}`;
        case "alicloud:ecs/ecsSnapshot:EcsSnapshot":
            return `s-${hash}`;
        default:
            return `${name}-id`;
    }
}
export const REGION = "cn-hangzhou";

export interface MockOptions {
    accountId?: string;
    region?: string;
    preview?: boolean;
}

export interface Recorder {
    readonly registrations: Registration[];
    /**
     * Collects the errors the program raises asynchronously (a resource whose input failed a deploy-time check), as
     * the engine would report them, and marks them handled. Call inside the test; `stop` when done.
     */
    captureFailures(): { failures: unknown[]; stop(): void };
    /** Waits until every registration started so far has been answered. */
    settle(): Promise<void>;
    /** The custom (non-component) registrations, optionally of one type. */
    resources(type?: string): Registration[];
    byName(name: string): Registration;
    clear(): void;
}

function propertyDependenciesOf(req: any): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: { getUrnsList(): string[] }, key: string) => {
        result[key] = deps.getUrnsList();
    });
    return result;
}

export function installMocks(options: MockOptions = {}): Recorder {
    const accountId = options.accountId ?? OWNER;
    const region = options.region ?? REGION;
    const registrations: Registration[] = [];
    let inFlight = 0;
    void pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: mockId(args.type, args.name), state: args.inputs }),
            call: (args) => {
                switch (args.token) {
                    case "alicloud:index/getCallerIdentity:getCallerIdentity":
                        return { accountId, arn: `acs:ram::${accountId}:root`, id: accountId, identityType: "Account" };
                    case "alicloud:index/getRegions:getRegions":
                        return { current: true, id: region, ids: [region], name: "", regions: [{ id: region, localName: region, regionId: region }] };
                    default:
                        throw new Error(`unexpected invoke ${args.token}`);
                }
            },
        },
        "project",
        "stack",
        options.preview ?? false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: any, cb: (err: unknown, resp: any) => void): void;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: (err: unknown, resp: any) => void) => {
        inFlight++;
        original(req, (err, resp) => {
            if (!err) {
                registrations.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    parent: req.getParent(),
                    custom: req.getCustom(),
                    inputs: pulumi.runtime.deserializeProperties(req.getObject()) as Record<string, unknown>,
                    dependencies: [...req.getDependenciesList()].sort(),
                    propertyDependencies: propertyDependenciesOf(req),
                    protect: req.getProtect() === true,
                    provider: req.getProvider(),
                });
            }
            inFlight--;
            cb(err, resp);
        });
    };
    const recorder: Recorder = {
        registrations,
        captureFailures() {
            const failures: unknown[] = [];
            const listener = (reason: unknown, promise: Promise<unknown>) => {
                failures.push(reason);
                promise.catch(() => undefined);
            };
            process.on("unhandledRejection", listener);
            return { failures, stop: () => process.removeListener("unhandledRejection", listener) };
        },
        async settle() {
            let quiet = 0;
            let last = -1;
            while (quiet < 5) {
                await new Promise((r) => setTimeout(r, 2));
                quiet = inFlight === 0 && registrations.length === last ? quiet + 1 : 0;
                last = registrations.length;
            }
        },
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
    return recorder;
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

/** The type tokens the tests look for. */
export const T = {
    snapshotShare: "alicloud-sharing:index:SharedSnapshot",
    imageShare: "alicloud-sharing:index:SharedImage",
    role: "alicloud-sharing:index:EncryptedShareRole",
    ramRole: "alicloud:ram/role:Role",
    policy: "alicloud:ram/policy:Policy",
    attachment: "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
    provider: "pulumi:providers:alicloud",
    copy: "alicloud:ecs/imageCopy:ImageCopy",
    permission: "alicloud:ecs/imageSharePermission:ImageSharePermission",
    share: "alicloud:resourcemanager/resourceShare:ResourceShare",
    resource: "alicloud:resourcemanager/sharedResource:SharedResource",
    target: "alicloud:resourcemanager/sharedTarget:SharedTarget",
} as const;

/** Runs `fn` with `alicloud-sharing:*` config values set, then restores the config exactly as it was. */
export function withLibraryConfig<T>(values: Record<string, unknown>, fn: () => T): T {
    const before = pulumi.runtime.allConfig();
    for (const [key, value] of Object.entries(values)) {
        setLibraryConfig(key, value);
    }
    try {
        return fn();
    } finally {
        pulumi.runtime.setAllConfig(before);
    }
}

/** The custom resources of a recorded program as a policy sees them: the input of the policy tests. */
export function asPolicyResources(registrations: readonly Registration[]): import("../../src/testing").TestResource[] {
    const byRef = new Map(registrations.map((r) => [`${r.urn}::${r.name}-id`, r]));
    return registrations
        .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
        .map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.inputs,
            parent: r.parent || undefined,
            protect: r.protect,
            providerProps: r.provider ? byRef.get(r.provider)?.inputs : undefined,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        }));
}
