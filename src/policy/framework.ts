/**
 * How a sharing policy runs: it builds intents (subjects) from raw resources, judges them with its rules from the
 * registry, drops what an unexpired exemption covers (noting it as in use), and reports the rest, each message
 * starting with the constraint ids.
 */
import type { EnforcementLevel, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { at } from "../intent/model";
import { judgeWith } from "../rules/registry";
import { exemptionValid } from "../rules/organization";
import { AnyRule, Finding, Rule, RuleSubjects, SubjectKind, formatFinding } from "../rules/types";
import { RawResource, fromPolicyResource, fromResourceArgs } from "./resources";
import { Exemption, PolicySettings, SettingName, configSchema, readSettings } from "./settings";

/** One thing to judge, and the resource a violation is reported on. */
export type Subject = {
    [K in SubjectKind]: {
        kind: K;
        subject: RuleSubjects[K];
        urn: string;
        name: string;
        /** The ids of the policy's rules that apply to this subject; all of them when absent. */
        only?: readonly string[];
    };
}[SubjectKind];

interface SharingPolicyDefinition {
    /** Kebab-case, `sharing-…`. */
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    /** The settings the policy reads (its config schema). */
    readonly settings: readonly SettingName[];
    /** The registry rules it runs. */
    readonly rules: readonly AnyRule[];
}

export interface SharingResourcePolicyDefinition extends SharingPolicyDefinition {
    /** The resource types it judges. */
    readonly types: readonly string[];
    readonly subjects: (resource: RawResource, settings: PolicySettings) => Subject[];
}

export interface SharingStackPolicyDefinition extends SharingPolicyDefinition {
    readonly subjects: (resources: readonly RawResource[], settings: PolicySettings) => Subject[];
}

/** An exemption in use: which policy applied it to which resource. */
export interface ExemptionUse {
    readonly policy: string;
    readonly urn: string;
    readonly exemption: Exemption;
}

/** The exemptions applied in this process, for `sharing-exemptions` to list (one pack process serves one preview or update). */
export const exemptionsInUse = new Map<string, ExemptionUse>();

const globToRegExp = (pattern: string): RegExp =>
    new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);

/** The exemption that covers a finding on a resource, if any. */
export function matchingExemption(exemptions: readonly Exemption[], urn: string, name: string, finding: Finding): Exemption | undefined {
    return exemptions.find((e) => {
        const pattern = globToRegExp(e.resource);
        const covers = e.rules.some((r) => r === finding.ruleId || (finding.constraints as readonly string[]).includes(r));
        return covers && (pattern.test(urn) || pattern.test(name));
    });
}

/**
 * Reports a violation whose message is exactly `message`. The policy server (1.21) takes an object as well as a
 * string; with a string it puts the policy's description in front, so the message would not start with the ids.
 */
export function reportExactly(report: ReportViolation, message: string, urn?: string, enforcementLevel?: EnforcementLevel): void {
    (report as unknown as (violation: { message: string; urn?: string; enforcementLevel?: EnforcementLevel }) => void)({ message, urn, enforcementLevel });
}

/** Judges subjects and reports violations; the messages start with the constraint ids. */
export function reportFindings(policy: string, rules: readonly AnyRule[], subjects: readonly Subject[], settings: PolicySettings, report: ReportViolation): void {
    for (const s of subjects) {
        const selected = rules.filter((r) => r.subject === s.kind && (s.only === undefined || s.only.includes(r.id))) as unknown as Rule<typeof s.kind>[];
        for (const finding of judgeWith(selected, s.subject as never, settings.context)) {
            const exemption = matchingExemption(settings.exemptions, s.urn, s.name, finding);
            if (exemption !== undefined && exemption.expires >= settings.context.today) {
                exemptionsInUse.set(`${policy}|${s.urn}|${exemption.resource}`, { policy, urn: s.urn, exemption });
                continue;
            }
            if (exemption !== undefined) {
                const i = settings.exemptions.indexOf(exemption);
                const expired = judgeWith([exemptionValid], {
                    resource: at(`exemptions[${i}].resource`, exemption.resource),
                    rules: exemption.rules.map((r, j) => at(`exemptions[${i}].rules[${j}]`, r)),
                    reason: at(`exemptions[${i}].reason`, exemption.reason),
                    expires: at(`exemptions[${i}].expires`, exemption.expires),
                }, settings.context);
                for (const e of expired) {
                    reportExactly(report, formatFinding(e, `${policy} config ${e.path}`), s.urn);
                }
            }
            reportExactly(report, formatFinding(finding, finding.path), s.urn);
        }
    }
}

/** What every sharing policy declares: name, description with its constraints and rules, level, config schema. */
function policyHeader<D extends SharingPolicyDefinition>(def: D) {
    const constraints = [...new Set(def.rules.flatMap((r) => r.constraints))];
    return {
        name: def.name,
        description: `${def.description} Enforces ${constraints.join(", ")} (rules ${def.rules.map((r) => r.id).join(", ")}).`,
        enforcementLevel: def.enforcementLevel,
        configSchema: configSchema(def.settings),
        definition: def,
    };
}

/** A resource policy of the pack. */
export function sharingResourcePolicy(def: SharingResourcePolicyDefinition): ResourceValidationPolicy & { readonly definition: SharingResourcePolicyDefinition } {
    return {
        ...policyHeader(def),
        validateResource: (args, report) => {
            if (!def.types.includes(args.type)) {
                return;
            }
            const settings = readSettings(args.getConfig<Record<string, unknown>>());
            reportFindings(def.name, def.rules, def.subjects(fromResourceArgs(args), settings), settings, report);
        },
    };
}

/** A stack policy of the pack. */
export function sharingStackPolicy(def: SharingStackPolicyDefinition): StackValidationPolicy & { readonly definition: SharingStackPolicyDefinition } {
    return {
        ...policyHeader(def),
        validateStack: (args, report) => {
            const settings = readSettings(args.getConfig<Record<string, unknown>>());
            reportFindings(def.name, def.rules, def.subjects(args.resources.map(fromPolicyResource), settings), settings, report);
        },
    };
}
