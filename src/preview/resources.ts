/** Captured registrations as the policy engine sees them, and as the stack view reads them. */
import type { RawResource } from "../policy/resources";
import type { TestResource } from "../testing";
import type { CapturedResource } from "./capture";

const isProvider = (r: CapturedResource): boolean => r.type.startsWith("pulumi:providers:");

/** The provider props of each provider reference (`<urn>::<id>`). */
function providerInputs(resources: readonly CapturedResource[]): Map<string, Record<string, unknown>> {
    return new Map(resources.filter(isProvider).map((p) => [`${p.urn}::${p.name}-id`, p.inputs]));
}

/** The custom resources of a program, as the analyzer would receive them. */
export function policyResources(resources: readonly CapturedResource[]): TestResource[] {
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
            providerProps: r.provider ? providers.get(r.provider) : undefined,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        }));
}

/** The custom resources of a program as raw resources (props as given). */
export function rawResources(resources: readonly CapturedResource[]): RawResource[] {
    return policyResources(resources).map((r) => ({
        type: r.type,
        urn: r.urn!,
        name: r.name!,
        props: r.props,
        providerProps: r.providerProps,
        parent: r.parent,
        dependencies: r.dependencies ?? [],
        propertyDependencies: r.propertyDependencies ?? {},
    }));
}
