/**
 * The pack's policies with a configuration of one's own, as awsguard's `new AwsGuard({ all: "advisory", … })`:
 * `sharingPolicies({ all: "advisory", "sharing-limits": { enforcementLevel: "mandatory", maxAccountsPerSnapshot: 32 } })`.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyConfigError, SharingPoliciesConfig, packConfigProblems, resolvedPolicyConfig } from "./config";
import { policies } from "./policies";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** A policy's config schema with the given settings as its defaults: what the engine shows and starts from. */
function withDefaults(schema: PolicyConfigSchema | undefined, settings: Readonly<Record<string, unknown>>): PolicyConfigSchema | undefined {
    if (schema === undefined || Object.keys(settings).length === 0) {
        return schema;
    }
    return {
        ...schema,
        properties: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, k in settings ? { ...v, default: settings[k] } : v])) as PolicyConfigSchema["properties"],
    };
}

/**
 * The pack's policies at the levels and with the settings given, checked against the policies' config schemas first
 * (a `PolicyConfigError` lists every problem). Settings given here are each policy's defaults: a config the engine
 * passes (a policy group's, or `--policy-pack-config`) still overrides them, key by key. A policy set to `disabled`
 * stays in the list, disabled, as the engine expects.
 */
export function sharingPolicies(config: SharingPoliciesConfig = {}): AnyPolicy[] {
    const problems = packConfigProblems(config, policies);
    if (problems.length > 0) {
        throw new PolicyConfigError(problems);
    }
    return policies.map((policy): AnyPolicy => {
        const { enforcementLevel, properties } = resolvedPolicyConfig(config, policy);
        // One merged config per config object the engine hands over, so the policy's own cache of read settings holds.
        const merged = new WeakMap<object, Record<string, unknown>>();
        const configOf = (given: Record<string, unknown> | undefined): Record<string, unknown> => {
            const key = given ?? {};
            let m = merged.get(key);
            if (m === undefined) {
                m = { ...properties, ...key };
                merged.set(key, m);
            }
            return m;
        };
        const head = { ...policy, enforcementLevel, configSchema: withDefaults(policy.configSchema, properties) };
        if ("validateStack" in policy) {
            const validate = policy.validateStack;
            return { ...head, validateStack: (args, report) => validate({ ...args, getConfig: <T extends object>() => configOf(args.getConfig<Record<string, unknown>>()) as T }, report) } as StackValidationPolicy;
        }
        const validate = policy.validateResource;
        if (validate === undefined || Array.isArray(validate)) {
            return head as ResourceValidationPolicy;
        }
        return { ...head, validateResource: (args, report) => validate({ ...args, getConfig: <T extends object>() => configOf(args.getConfig<Record<string, unknown>>()) as T }, report) } as ResourceValidationPolicy;
    });
}
