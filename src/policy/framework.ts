/**
 * How a sharing policy runs: it builds intents (subjects) from raw resources, judges them with its rules from the
 * registry, drops what an unexpired exemption covers (noting it as in use), and reports the rest, each message
 * starting with the constraint ids.
 */
import type { EnforcementLevel, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { at } from "../intent/model";
import { PolicyName } from "../rules/enforcement";
import { findingsOf, judgeSubject, judgeWith, rulesJudgedBy } from "../rules/registry";
import { policyConfigValid } from "../rules/arguments";
import { policyEntryProblems } from "./config";
import { exemptionValid, isCalendarDay } from "../rules/organization";
import { redactFinding } from "../rules/redact";
import { organizationProblems, withOrganizationFile } from "../rules/settings";
import { AnyRule, Finding, FindingSubject, RuleSubject, formatFinding } from "../rules/types";
import { RawResource, fromPolicyResource, fromResourceArgs } from "./resources";
import { Exemption, PolicySettings, SettingName, configSchema, readSettings } from "./settings";

/** One thing to judge, and the resource a violation is reported on. */
export type Subject = RuleSubject;

interface SharingPolicyDefinition {
    /** Kebab-case, `sharing-…`: a policy of the registry's enforcement matrix, or an organization's own name. */
    readonly name: PolicyName | string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    /** The settings the policy reads (its config schema). */
    readonly settings: readonly SettingName[];
    /** The registry rules it runs. Defaults to the rules the registry's enforcement matrix gives the policy's name. */
    readonly rules?: readonly AnyRule[];
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

/**
 * Whether a name matches a pattern where `*` matches any run of characters: the literal parts in order, each found
 * once, left to right (linear in the name; no backtracking, whatever the pattern).
 */
export function globMatches(pattern: string, name: string): boolean {
    const parts = pattern.split("*");
    if (parts.length === 1) {
        return pattern === name;
    }
    const [first, ...rest] = parts;
    const last = rest.pop()!;
    if (!name.startsWith(first) || !name.endsWith(last) || name.length < first.length + last.length) {
        return false;
    }
    let at = first.length;
    const end = name.length - last.length;
    for (const part of rest) {
        const found = name.indexOf(part, at);
        if (found < 0 || found + part.length > end) {
            return false;
        }
        at = found + part.length;
    }
    return true;
}

/** The exemption that covers a finding on a resource, if any. */
export function matchingExemption(exemptions: readonly Exemption[], urn: string, name: string, finding: Finding): Exemption | undefined {
    return exemptions.find((e) => {
        // A constraint id lifts the rules it is the first constraint of: "C21" lifts no S1 rule that also cites C21.
        const covers = e.rules.some((r) => r === finding.ruleId || finding.constraints[0] === r);
        return covers && (globMatches(e.resource, urn) || globMatches(e.resource, name));
    });
}

/** What a violation carries besides its text: the finding it renders, when it renders one. */
export interface ReportedViolation {
    readonly message: string;
    readonly urn?: string;
    readonly enforcementLevel?: EnforcementLevel;
    /** The finding, as data (the policy server ignores it; in-process readers such as the preview and tests use it). */
    readonly finding?: Finding;
}

/**
 * Reports a violation whose message is exactly `message`, with its finding as data. The policy server (1.21) takes an
 * object as well as a string; with a string it puts the policy's description in front, so the message would not start
 * with the ids.
 */
export function reportExactly(report: ReportViolation, message: string, urn?: string, enforcementLevel?: EnforcementLevel, finding?: Finding): void {
    const violation: ReportedViolation = { message, urn, enforcementLevel, ...(finding === undefined ? {} : { finding }) };
    (report as unknown as (violation: ReportedViolation) => void)(violation);
}

/** Reports a finding: its message rendered from it (the ids first, the path last), the finding itself as data. */
export function reportFinding(report: ReportViolation, finding: Finding, enforcementLevel?: EnforcementLevel): void {
    reportExactly(report, formatFinding(finding, finding.path), finding.subject?.urn, enforcementLevel, finding);
}

/** Judges subjects and reports violations; the messages start with the constraint ids and show no secret value. */
export function reportFindings(policy: string, rules: readonly AnyRule[], subjects: readonly Subject[], settings: PolicySettings, report: ReportViolation, secrets: readonly string[] = []): void {
    for (const s of subjects) {
        const about: FindingSubject = { type: s.type, name: s.name, urn: s.urn };
        const found = judgeSubject(s, settings.context, rules).map((f) => redactFinding(f, secrets));
        for (const finding of found) {
            const exemption = matchingExemption(settings.exemptions, s.urn, s.name, finding);
            // Applied only until a real day of the calendar: an expiry such as 9999-99-99 lifts nothing.
            if (exemption !== undefined && isCalendarDay(exemption.expires) && exemption.expires >= settings.context.today) {
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
                    const located = { ...e, path: `${policy} config ${e.path}`, subject: about };
                    reportExactly(report, formatFinding(located, located.path), s.urn, undefined, located);
                }
            }
            reportFinding(report, finding);
        }
    }
}

/** The rules a definition runs: its own list, else the registry's for its name. */
const rulesOf = (def: SharingPolicyDefinition): readonly AnyRule[] => def.rules ?? rulesJudgedBy(def.name as PolicyName);

/** A policy's config as read: the settings, and the config's problems against the policy's schema. */
export interface ReadConfig {
    readonly settings: PolicySettings;
    readonly problems: readonly Finding[];
}

/**
 * The configs whose problems were reported, by policy and config text: once per pack process (which serves one
 * preview or update), however many resources the policy judges and whatever copy of the config it is handed.
 */
const reportedConfigs = new Set<string>();

/** Forgets which config problems were reported: each run of `runPolicies` is judged as a pack process of its own. */
export function forgetReportedConfigs(): void {
    reportedConfigs.clear();
}

/**
 * Policy config read once per config object (the server hands a policy the same one for every resource), so indexes
 * built from it are reused. A config its schema refuses is read as no config at all: the default settings, the
 * strictest reading (no exemption, the documented limits, failing closed), with its problems as findings.
 */
const configCache = new WeakMap<object, Map<string, ReadConfig>>();
export function readConfig(def: SharingPolicyDefinition, config: unknown): ReadConfig {
    const key = typeof config === "object" && config !== null ? config : {};
    let byPolicy = configCache.get(key);
    if (byPolicy === undefined) {
        byPolicy = new Map();
        configCache.set(key, byPolicy);
    }
    let read = byPolicy.get(def.name);
    if (read === undefined) {
        // The organization file is read where the pack runs; its contents are checked against the file's schema.
        const loaded = withOrganizationFile(key as Record<string, unknown>, process.cwd());
        const problems = [
            ...policyEntryProblems(def.name, config ?? {}, { name: def.name, configSchema: configSchema(def.settings) }),
            ...[...loaded.problems, ...organizationProblems(loaded.values.organization, "organization")].map((p) => ({ path: `${def.name}.${p.path}`, message: p.message })),
        ];
        read = {
            settings: readSettings(problems.length === 0 ? loaded.values : {}),
            problems: findingsOf(
                policyConfigValid,
                problems.map((p) => {
                    const below = p.path.slice(def.name.length).replace(/^\./, "");
                    return {
                        path: `${def.name} config${below === "" ? "" : ` ${below}`}`,
                        message: `the config of ${def.name}: ${below === "" ? "the entry" : below} ${p.message}.`,
                        fix: "Correct the policy config (pulumi preview --policy-pack-config, or the policy group's config).",
                    };
                }),
            ),
        };
        byPolicy.set(def.name, read);
    }
    return read;
}

/** The policy's settings; the config's problems reported the first time a config is used. */
function settingsReporting(def: SharingPolicyDefinition, config: unknown, report: ReportViolation): PolicySettings {
    const read = readConfig(def, config);
    if (read.problems.length > 0) {
        const key = `${def.name}\n${JSON.stringify(config)}`;
        if (!reportedConfigs.has(key)) {
            reportedConfigs.add(key);
            read.problems.forEach((f) => reportFinding(report, f, "mandatory"));
        }
    }
    return read.settings;
}

/** What every sharing policy declares: name, description with its constraints and rules, level, config schema. */
function policyHeader<D extends SharingPolicyDefinition>(def: D) {
    const rules = rulesOf(def);
    // Every policy judges the exemptions of its own config (S7); the description names the rules it judges resources by.
    const judging = rules.filter((r) => r.subject !== "exemption");
    const constraints = [...new Set(judging.flatMap((r) => r.constraints))];
    return {
        name: def.name,
        description: `${def.description} Enforces ${constraints.join(", ")} (rules ${judging.map((r) => r.id).join(", ")}).`,
        enforcementLevel: def.enforcementLevel,
        configSchema: configSchema(def.settings),
        definition: { ...def, rules },
    };
}

/** A resource policy of the pack. */
export function sharingResourcePolicy(def: SharingResourcePolicyDefinition): ResourceValidationPolicy & { readonly definition: SharingResourcePolicyDefinition } {
    const rules = rulesOf(def);
    return {
        ...policyHeader(def),
        validateResource: (args, report) => {
            if (!def.types.includes(args.type)) {
                return;
            }
            const settings = settingsReporting(def, args.getConfig<Record<string, unknown>>(), report);
            const resource = fromResourceArgs(args);
            reportFindings(def.name, rules, def.subjects(resource, settings), settings, report, resource.secrets);
        },
    };
}

/** A stack policy of the pack. */
export function sharingStackPolicy(def: SharingStackPolicyDefinition): StackValidationPolicy & { readonly definition: SharingStackPolicyDefinition } {
    const rules = rulesOf(def);
    return {
        ...policyHeader(def),
        validateStack: (args, report) => {
            const settings = settingsReporting(def, args.getConfig<Record<string, unknown>>(), report);
            const resources = args.resources.map(fromPolicyResource);
            // A stack finding may quote a value of any resource (a role's message lists the shares' recipients).
            const secrets = resources.flatMap((r) => r.secrets ?? []);
            reportFindings(def.name, rules, def.subjects(resources, settings), settings, report, secrets);
        },
    };
}
