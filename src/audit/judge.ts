/**
 * The audit's judge: what was read is judged directly, by the pack's own policies' subject derivation and the rule
 * registry's judge, with the same verdicts as the pack serving them, and nothing encoded on the way. Each policy's
 * config is read once (as the pack reads it), each resource policy derives its subjects from each resource of its
 * types, and every stack policy derives its subjects from one list of resources, whose sharing graph is read once
 * for every policy with the same settings. Linear in what was read: no per-policy copy of the account.
 */
import type { EnforcementLevel, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyConfigError, resolvedPolicyConfig } from "../policy/config";
import { ReportedViolation, SharingResourcePolicyDefinition, SharingStackPolicyDefinition, readConfig, reportFinding, reportFindings } from "../policy/framework";
import { policies as packPolicies } from "../policy/policies";
import type { Violation } from "../policy/run";
import type { RawResource } from "../policy/resources";
import type { PolicySettings } from "../policy/settings";

/** The pack's config, as `pulumi preview --policy-pack-config` takes it: by policy name, a level or a level and settings. */
export type PolicyConfig = Record<string, unknown>;

/** A violation, as the policy server would report it, with its finding as data (the policy runner's type). */
export type JudgedViolation = Violation;

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;
type Judged = { definition: SharingResourcePolicyDefinition } | { definition: SharingStackPolicyDefinition };

const isResourceDefinition = (d: SharingResourcePolicyDefinition | SharingStackPolicyDefinition): d is SharingResourcePolicyDefinition => "types" in d;

/** The reporter of one policy, as the server's `reportViolation`: an object gives the message and level itself. */
function reporterOf(policy: AnyPolicy, level: EnforcementLevel, out: JudgedViolation[], fallbackUrn?: string): ReportViolation {
    return ((message: unknown, urn?: string) => {
        if (typeof message === "object" && message !== null) {
            const info = message as Partial<ReportedViolation>;
            out.push({
                policy: policy.name,
                message: info.message ?? policy.description,
                urn: info.urn ?? fallbackUrn,
                enforcementLevel: info.enforcementLevel ?? level,
                ...(info.finding === undefined ? {} : { finding: info.finding }),
            });
        } else {
            out.push({ policy: policy.name, message: message ? `${policy.description}\n${message}` : policy.description, urn: urn ?? fallbackUrn, enforcementLevel: level });
        }
    }) as ReportViolation;
}

/**
 * Judges raw resources with the pack's policies (by default every policy of the pack) and the config: the violations,
 * policy by policy and, within a resource policy, resource by resource, as the server reports them. A config whose
 * level the engine would refuse throws a {@link PolicyConfigError}; a setting a policy's schema refuses is that
 * policy's `policy-config-valid` violation, and the policy judges with its default settings, as in the pack.
 */
export function judgeResources(resources: readonly RawResource[], config: PolicyConfig = {}, policies: readonly AnyPolicy[] = packPolicies): JudgedViolation[] {
    const out: JudgedViolation[] = [];
    const byType = new Map<string, RawResource[]>();
    for (const r of resources) {
        const ofType = byType.get(r.type);
        if (ofType === undefined) {
            byType.set(r.type, [r]);
        } else {
            ofType.push(r);
        }
    }
    // Policies with the same config share one settings object, so the stack policies read the sharing graph once.
    const settingsByConfig = new Map<string, PolicySettings>();
    const secrets: string[] = [];
    for (const r of resources) {
        if (r.secrets !== undefined && r.secrets.length > 0) {
            secrets.push(...r.secrets);
        }
    }
    for (const policy of policies) {
        const { enforcementLevel: level, properties } = resolvedPolicyConfig(config, policy);
        if (level === "disabled") {
            continue;
        }
        const report = reporterOf(policy, level, out);
        const definition = (policy as Partial<Judged>).definition;
        if (definition === undefined) {
            // Not a sharing policy (the exemption list): run as the server runs it; it reads no resource.
            if ("validateStack" in policy) {
                policy.validateStack({ resources: [], stackTags: new Map(), getConfig: <T extends object>() => properties as T, notApplicable: () => undefined as never }, report);
            }
            continue;
        }
        const read = readConfig(definition, properties);
        read.problems.forEach((f) => reportFinding(report, f, "mandatory"));
        const key = read.problems.length > 0 ? `${definition.name}\n(refused)` : JSON.stringify(properties);
        let settings = settingsByConfig.get(key);
        if (settings === undefined) {
            settings = read.settings;
            settingsByConfig.set(key, settings);
        }
        const rules = definition.rules ?? [];
        if (isResourceDefinition(definition)) {
            const types = new Set(definition.types);
            // In the order the resources were read, as the server validates them.
            for (const resource of types.size === 1 ? (byType.get(definition.types[0]) ?? []) : resources.filter((r) => types.has(r.type))) {
                reportFindings(definition.name, rules, definition.subjects(resource, settings), settings, reporterOf(policy, level, out, resource.urn), resource.secrets ?? []);
            }
        } else {
            reportFindings(definition.name, rules, definition.subjects(resources, settings), settings, report, secrets);
        }
    }
    return out;
}

export { PolicyConfigError };
