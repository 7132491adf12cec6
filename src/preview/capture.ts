/**
 * Pulumi's mock runtime with a recorder: registrations recorded as the engine would receive them (type, name, URN,
 * parent, inputs, dependencies, property dependencies, protect flag, provider), and the answers a program of these
 * components needs. The tests and benches of the components run under it; the preview itself runs programs with their
 * own language runner against the real protocol (monitor.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { mockId } from "../alibaba/mockIds";
import { DYNAMIC_RESOURCE_TYPE, TYPES } from "../alibaba/resourceTypes";
import type { CapturedResource } from "./monitor";

export type { CapturedResource } from "./monitor";
export { mockId };

export interface CaptureOptions {
    readonly project: string;
    readonly stack: string;
    /** The account `getCallerIdentity` reports. */
    readonly accountId: string;
    /** The region the default provider reports. */
    readonly region: string;
}

/** What the mock runtime answers for a resource: its inputs, and for the dynamic sharee steps what their provider would. */
export function mockResource(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
    if (type === DYNAMIC_RESOURCE_TYPE && "sourceSnapshotId" in inputs) {
        const id = mockId(TYPES.snapshot, name);
        return { id, state: { ...inputs, snapshotId: id } };
    }
    if (type === DYNAMIC_RESOURCE_TYPE && "resourceShareId" in inputs) {
        // As the provider answers: an id that never shows the share's id (which may be secret).
        return { id: mockId(type, name), state: { ...inputs, status: "Accepted", invitationId: "" } };
    }
    return { id: mockId(type, name), state: inputs };
}

export interface Capture {
    readonly resources: CapturedResource[];
    /** Waits until every registration started so far has been answered. */
    settle(): Promise<void>;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): unknown;
    getDependenciesList(): string[];
    getProtect(): boolean | undefined;
    getProvider(): string;
    getPropertydependenciesMap(): { forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}

/** Installs the mocks and the recorder. Call before the program registers anything. */
export function captureRegistrations(options: CaptureOptions): Capture {
    const resources: CapturedResource[] = [];
    let inFlight = 0;
    void pulumi.runtime.setMocks(
        {
            newResource: (args) => mockResource(args.type, args.name, args.inputs),
            call: (args) => {
                switch (args.token) {
                    case "alicloud:index/getCallerIdentity:getCallerIdentity":
                        return { accountId: options.accountId, arn: `acs:ram::${options.accountId}:root`, id: options.accountId, identityType: "Account" };
                    case "alicloud:index/getRegions:getRegions": {
                        // Through an explicit provider: that provider's region, as the real data source answers.
                        const provider = args.provider === undefined ? undefined : resources.find((r) => `${r.urn}::${r.name}-id` === args.provider);
                        const region = typeof provider?.inputs.region === "string" ? provider.inputs.region : options.region;
                        return { current: true, id: region, ids: [region], name: "", regions: [{ id: region, localName: region, regionId: region }] };
                    }
                    default:
                        throw new Error(`the offline preview does not answer the data source ${args.token}`);
                }
            },
        },
        options.project,
        options.stack,
        false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: RegisterRequest, cb: (err: unknown, resp: { getUrn(): string }) => void): void };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        inFlight++;
        original(req, (err, resp) => {
            if (!err) {
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps, key) => (propertyDependencies[key] = deps.getUrnsList()));
                resources.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    parent: req.getParent(),
                    custom: req.getCustom(),
                    inputs: pulumi.runtime.deserializeProperties(req.getObject() as never) as Record<string, unknown>,
                    dependencies: [...req.getDependenciesList()].sort(),
                    propertyDependencies,
                    protect: req.getProtect() === true,
                    provider: req.getProvider(),
                });
            }
            inFlight--;
            cb(err, resp);
        });
    };
    return {
        resources,
        async settle() {
            let quiet = 0;
            let last = -1;
            while (quiet < 5) {
                await new Promise((r) => setTimeout(r, 2));
                quiet = inFlight === 0 && resources.length === last ? quiet + 1 : 0;
                last = resources.length;
            }
        },
    };
}
