/**
 * The policy runner: validation arguments built exactly as the policy server builds them (props encoded as the engine
 * sends them, with secrets and unknowns, decoded by the server's own deserializer and wrapped in its unknown-checking
 * proxy), a runner that treats a policy's exceptions as the server does, and assertions on the exact set of
 * violations. The offline preview judges with it; `alicloud-sharing/testing` re-exports it for teams that test their
 * own policies too.
 */
import type {
    EnforcementLevel,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { createHash } from "crypto";
import { forgetReportedConfigs, type ReportedViolation } from "./framework";
import { resolvedPolicyConfig } from "./config";
import { policyDeserialize, policyProxy } from "./sdk";
import type { Finding } from "../rules/types";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: Record<string, unknown>): unknown } };

/** The values the engine sends for what is not known at preview. */
export const unknown = {
    string: policyProxy.unknownStringValue,
    number: policyProxy.unknownNumberValue,
    boolean: policyProxy.unknownBooleanValue,
    array: policyProxy.unknownArrayValue,
    object: policyProxy.unknownObjectValue,
} as const;

/** A secret value as the engine sends it. */
export function secret<T>(value: T): Record<string, unknown> {
    return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}

/** A resource of a test: its type and props, and what the engine would say about it. */
export interface TestResource {
    readonly type: string;
    readonly props: Record<string, unknown>;
    /** Defaults to the last part of the type, lower case. */
    readonly name?: string;
    /** Defaults to a URN built from the name and type. */
    readonly urn?: string;
    /** The parent's URN. */
    readonly parent?: string;
    readonly protect?: boolean;
    /** Its provider's props (region, accountId…). */
    readonly providerProps?: Record<string, unknown>;
    /** Its provider's URN. Defaults to one URN per distinct `providerProps`: resources with the same provider props share a provider. */
    readonly providerUrn?: string;
    /** URNs it depends on. */
    readonly dependencies?: readonly string[];
    /** For each property, the URNs of the resources its value came from. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** Policy config as the engine passes it: by policy name, the policy's properties. */
export type TestConfig = Record<string, unknown>;

export const urnOf = (r: TestResource): string => r.urn ?? `urn:pulumi:test::test::${r.type}::${nameOf(r)}`;
const nameOf = (r: TestResource): string => r.name ?? r.type.split(":").pop()!.toLowerCase();

/** Props as the server hands them to a policy: encoded on the wire, decoded, wrapped in the unknown-checking proxy. */
export function serverProps(props: Record<string, unknown>): Record<string, unknown> {
    // The engine leaves out undefined values; JSON does the same.
    const wire = Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
    return policyProxy.unknownCheckingProxy(policyDeserialize.deserializeProperties(wire, false));
}

function typeChecks(type: string, props: Record<string, unknown>) {
    const matches = (cls: { __pulumiType?: string }) => cls.__pulumiType === type;
    return {
        isType: (cls: unknown) => matches(cls as { __pulumiType?: string }),
        asType: (cls: unknown) => (matches(cls as { __pulumiType?: string }) ? props : undefined),
    };
}

const resourceOptions = (r: TestResource) => ({
    protect: r.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    parent: r.parent,
});

/** The URN of a resource's provider: given, or one per distinct provider props. */
export const providerUrnOf = (r: TestResource): string | undefined =>
    r.providerUrn ?? (r.providerProps ? `urn:pulumi:test::test::pulumi:providers:alicloud::provider-${createHash("sha1").update(JSON.stringify(r.providerProps)).digest("hex").slice(0, 12)}` : undefined);

/** The resource's provider as the server describes it, when the test gives its props. */
const providerOf = (r: TestResource) =>
    r.providerProps ? { type: "pulumi:providers:alicloud", props: serverProps(r.providerProps), urn: providerUrnOf(r)!, name: providerUrnOf(r)!.split("::").pop()! } : undefined;

const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};
class NotApplicable extends Error {}

/** The arguments a resource policy receives for a resource, with `config` as the policy's config. */
export function resourceArgs(resource: TestResource, config: Record<string, unknown> = {}): ResourceValidationArgs {
    const props = serverProps(resource.props);
    return {
        type: resource.type,
        props,
        urn: urnOf(resource),
        name: nameOf(resource),
        opts: resourceOptions(resource),
        provider: providerOf(resource),
        stackTags: new Map(),
        ...typeChecks(resource.type, props),
        getConfig: <T extends object>() => config as T,
        notApplicable,
    } as ResourceValidationArgs;
}

/** The arguments a stack policy receives for a stack, with parents and dependencies linked as the server links them. */
export function stackArgs(resources: readonly TestResource[], config: Record<string, unknown> = {}): StackValidationArgs {
    const byUrn = new Map<string, PolicyResource>();
    const built = resources.map((r) => {
        const props = serverProps(r.props);
        const resource = {
            type: r.type,
            props,
            urn: urnOf(r),
            name: nameOf(r),
            opts: resourceOptions(r),
            provider: providerOf(r),
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            ...typeChecks(r.type, props),
        } as unknown as PolicyResource;
        byUrn.set(resource.urn, resource);
        return { spec: r, resource };
    });
    for (const { spec, resource } of built) {
        const link = (urns: readonly string[] = []) => urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
        Object.assign(resource, {
            parent: spec.parent ? byUrn.get(spec.parent) : undefined,
            dependencies: link(spec.dependencies),
            propertyDependencies: Object.fromEntries(Object.entries(spec.propertyDependencies ?? {}).map(([k, v]) => [k, link(v)])),
        });
    }
    return { resources: built.map((b) => b.resource), stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable };
}

/** A violation as the server reports it, with the finding it renders when the policy reported one (in process only). */
export interface Violation {
    readonly policy: string;
    readonly message: string;
    readonly urn?: string;
    readonly enforcementLevel: EnforcementLevel;
    /** The finding as data: rule id, constraints, path, fix, subject. The server sends only the message over the wire. */
    readonly finding?: Finding;
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/**
 * Runs one policy on resources as the server does: each resource (resource policies) or the whole stack (stack
 * policies), with the policy's config from `config[policy.name]` (a level, or an object of `enforcementLevel` and
 * settings; `config.all` gives every policy its level). A policy that touches an unknown value gets the
 * server's advisory "can't run policy … during preview" (which is what S6 prevents).
 */
export async function runPolicy(policy: AnyPolicy, resources: readonly TestResource[], config: TestConfig = {}): Promise<Violation[]> {
    forgetReportedConfigs();
    // As the engine resolves it: `all`'s level, the policy's own entry (a level, or its level and settings), else its default.
    const { enforcementLevel: level, properties } = resolvedPolicyConfig(config, policy);
    if (level === "disabled") {
        return [];
    }
    const violations: Violation[] = [];
    // As the server's reportViolation: a string follows the policy's description; an object gives the message itself.
    const reporter = (fallbackUrn?: string) => (message: unknown, urn?: string) => {
        if (typeof message === "object" && message !== null) {
            const info = message as Partial<ReportedViolation> & { description?: string };
            violations.push({
                policy: policy.name,
                message: info.message ?? info.description ?? policy.description,
                urn: info.urn ?? fallbackUrn,
                enforcementLevel: info.enforcementLevel ?? level,
                ...(info.finding === undefined ? {} : { finding: info.finding }),
            });
        } else {
            violations.push({ policy: policy.name, message: message ? `${policy.description}\n${message}` : policy.description, urn: urn ?? fallbackUrn, enforcementLevel: level });
        }
    };
    const run = async (validate: () => unknown, urn?: string) => {
        try {
            await validate();
        } catch (e) {
            if (e instanceof NotApplicable) {
                return;
            }
            if (e instanceof policyProxy.UnknownValueError) {
                violations.push({ policy: policy.name, message: `can't run policy '${policy.name}' during preview: ${(e as Error).message}`, urn, enforcementLevel: "advisory" });
                return;
            }
            throw e;
        }
    };
    if ("validateStack" in policy) {
        await run(() => policy.validateStack(stackArgs(resources, properties), reporter()));
    } else {
        const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
        for (const resource of resources) {
            for (const validate of validations) {
                await run(() => validate(resourceArgs(resource, properties), reporter(urnOf(resource))), urnOf(resource));
            }
        }
    }
    return violations;
}

/** Runs every policy; the violations of all. */
export async function runPolicies(policies: readonly AnyPolicy[], resources: readonly TestResource[], config: TestConfig = {}): Promise<Violation[]> {
    const all: Violation[] = [];
    for (const policy of policies) {
        all.push(...(await runPolicy(policy, resources, config)));
    }
    return all;
}

/** The rule id of a violation's finding, or its first words when it carries none (another policy's, or the server's advisory). */
export function ruleOf(violation: Violation): string {
    return violation.finding?.ruleId ?? violation.message.slice(0, 60);
}

/** `rule@resource-name` for each violation, sorted: the exact set to assert. */
export function violationSet(violations: readonly Violation[]): string[] {
    return violations.map((v) => `${ruleOf(v)}@${v.urn?.split("::").pop() ?? ""}`).sort();
}

/** Throws unless the violations are exactly the expected `rule@resource-name` entries (in any order). */
export function expectViolations(violations: readonly Violation[], expected: readonly string[]): void {
    const actual = violationSet(violations);
    const want = [...expected].sort();
    if (JSON.stringify(actual) !== JSON.stringify(want)) {
        throw new Error(`violations differ.\nexpected: ${JSON.stringify(want)}\nactual:   ${JSON.stringify(actual)}\nmessages:\n${violations.map((v) => `  ${v.message}`).join("\n")}`);
    }
}
