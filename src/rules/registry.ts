/** The rule registry: every rule once, and the functions that run them. */
import { DEFAULT_LIMITS, SharingLimits } from "../alibaba/limits";
import { argumentsWellFormed, policyConfigValid } from "./arguments";
import { copyRegionProviders, directoryAndAccounts, encryptedImageRegion, imageAccountQuota, imageCopyRegions, imageServiceKey, paidImage, unencryptedImageAcknowledged } from "./images";
import { kmsGrantsComplete, kmsPolicyMinimal, oneRolePerName, ramDocumentLimits, shareRoleName, trustMatchesTargets, trustPolicyNotOpen } from "./roles";
import { externalTargets, resourceType, shareName } from "./shares";
import { shareeImageAccess } from "./sharee";
import {
    exemptionValid,
    noInlineShareItems,
    recipientsAllowed,
    recipientsKnown,
    roleDocumentsKnown,
    sharedKeyProtected,
    unknownReads,
    valuesKnown,
    shareRolePresent,
    shareRoleSystemPolicy,
    trustedPrincipalsAllowed,
} from "./organization";
import {
    copyKey,
    diskFromSharedSnapshot,
    noImageFromSharedSnapshot,
    noReshare,
    snapshotAccountLimit,
    snapshotOwnerQuota,
    snapshotServiceKey,
    grantMethod,
    unencryptedSnapshotAcknowledged,
} from "./snapshots";
import {
    keyInShareRegion,
    kmsKeyFormat,
    regionMatchesProvider,
    noDuplicates,
    ownerAccountFormat,
    ownerAccountMatchesProvider,
    regionFormat,
    resourceIdFormat,
    notOwnAccount,
    principalFormat,
    sameSite,
    shareNotEmpty,
    sharedInOwnRegion,
} from "./targets";
import { judgedBy, PolicyName } from "./enforcement";
import { AnyRule, Finding, FindingSubject, Outcome, Problem, Rule, RuleContext, RuleSubject, RuleSubjects, SubjectKind } from "./types";
import type { ResourceKind } from "../alibaba/kinds";

/** Every rule, in catalogue order. */
export const rules: readonly AnyRule[] = Object.freeze([
    argumentsWellFormed,
    policyConfigValid,
    shareNotEmpty,
    principalFormat,
    notOwnAccount,
    sameSite,
    noDuplicates,
    ownerAccountFormat,
    ownerAccountMatchesProvider,
    resourceIdFormat,
    kmsKeyFormat,
    regionFormat,
    regionMatchesProvider,
    keyInShareRegion,
    sharedInOwnRegion,
    grantMethod,
    snapshotAccountLimit,
    snapshotOwnerQuota,
    snapshotServiceKey,
    unencryptedSnapshotAcknowledged,
    noReshare,
    noImageFromSharedSnapshot,
    diskFromSharedSnapshot,
    copyKey,
    imageAccountQuota,
    imageCopyRegions,
    copyRegionProviders,
    encryptedImageRegion,
    imageServiceKey,
    directoryAndAccounts,
    unencryptedImageAcknowledged,
    shareeImageAccess,
    paidImage,
    sharedKeyProtected,
    shareName,
    noInlineShareItems,
    externalTargets,
    resourceType,
    shareRoleName,
    oneRolePerName,
    trustPolicyNotOpen,
    kmsPolicyMinimal,
    kmsGrantsComplete,
    trustMatchesTargets,
    ramDocumentLimits,
    shareRoleSystemPolicy,
    shareRolePresent,
    recipientsAllowed,
    trustedPrincipalsAllowed,
    recipientsKnown,
    roleDocumentsKnown,
    valuesKnown,
    exemptionValid,
]);

const byId = new Map(rules.map((r) => [r.id, r]));

/** Finds a rule by id. */
export function ruleById(id: string): AnyRule | undefined {
    return byId.get(id);
}

/** The rules a policy of the pack judges, as the registry's enforcement matrix says, in registry order. */
export function rulesJudgedBy(policy: PolicyName): AnyRule[] {
    return rules.filter((r) => judgedBy(r.enforcement.policies).includes(policy));
}

/** A context from optional overrides (defaults: Alibaba Cloud's limits, no organization facts, fail open, today). */
export function ruleContext(
    overrides: Partial<Omit<RuleContext, "limits">> & { limits?: Partial<SharingLimits> } = {},
): RuleContext {
    return {
        ...overrides,
        limits: { ...DEFAULT_LIMITS, ...overrides.limits },
        accountSites: overrides.accountSites ?? {},
        failClosedOnUnknown: overrides.failClosedOnUnknown ?? false,
        today: overrides.today ?? new Date().toISOString().slice(0, 10),
    };
}

/** Attaches a rule's metadata (and what was judged, when known) to problems it found. */
export function findingsOf(rule: AnyRule, problems: readonly Problem[], subject?: FindingSubject): Finding[] {
    return problems.map((p) => ({
        path: p.path,
        message: p.message,
        fix: p.fix,
        ...(p.values === undefined ? {} : { values: p.values }),
        ruleId: rule.id,
        constraints: rule.constraints,
        severity: rule.severity,
        ...(subject === undefined ? {} : { subject }),
    }));
}

/**
 * Runs the given rules (all of one subject kind) on a subject. Failing closed (S6), a value a rule reads that is unknown
 * is a `values-known` finding, unless an S6 rule of its own already reported that place.
 */
export function judgeWith<K extends SubjectKind>(all: readonly Rule<K>[], subject: RuleSubjects[K], context: RuleContext, about?: FindingSubject): Finding[] {
    const selected = all.filter((rule) => appliesTo(rule, subject));
    const findings = selected.flatMap((rule) => findingsOf(rule as unknown as AnyRule, checkSafely(rule, subject, context), about));
    if (!context.failClosedOnUnknown) {
        return findings;
    }
    const reported = new Set(findings.filter((f) => f.constraints.includes("S6")).map((f) => f.path));
    const unknown = selected.flatMap((rule) => unknownReads(rule.reads, subject, rule.id)).filter((p) => !reported.has(p.path) && (reported.add(p.path), true));
    return [...findings, ...findingsOf(valuesKnown, unknown, about)];
}

/** Whether a rule applies to a subject: a share of a kind the rule does not name is not applicable. */
export function appliesTo<K extends SubjectKind>(rule: Rule<K>, subject: RuleSubjects[K]): boolean {
    const kind = (subject as { kind?: unknown }).kind;
    return rule.kinds === undefined || rule.subject !== "share" || rule.kinds.includes(kind as ResourceKind);
}

/**
 * Every rule of a subject's kind and what it came to on the subject: not applicable (a share of another kind),
 * compliant, or non-compliant with its findings, as cdk-nag reports (a test can tell "passed" from "never looked").
 */
export function outcomes<K extends SubjectKind>(subjectKind: K, subject: RuleSubjects[K], context: RuleContext = ruleContext()): Outcome[] {
    return (rules.filter((r) => r.subject === subjectKind) as unknown as Rule<K>[]).map((rule) => {
        if (!appliesTo(rule, subject)) {
            return { ruleId: rule.id, outcome: "not-applicable", findings: [] };
        }
        const findings = judgeWith([rule], subject, context);
        return { ruleId: rule.id, outcome: findings.length === 0 ? "compliant" : "non-compliant", findings };
    });
}

/**
 * A rule's check, which never throws: a value in a form no rule expects (an object where an id belongs, a cyclic
 * document) is a finding of that rule, failing closed, rather than a crash of the component or the policy.
 */
function checkSafely<K extends SubjectKind>(rule: Rule<K>, subject: RuleSubjects[K], context: RuleContext): readonly Problem[] {
    try {
        return rule.check(subject, context);
    } catch (e) {
        return [{
            path: "(value)",
            message: `a value is not in a form this rule can read (${e instanceof Error ? e.message : "unknown error"}), so it cannot be proven valid.`,
            fix: "Give plain strings, numbers and lists where the arguments or properties take them.",
        }];
    }
}

/** Runs every rule for a subject and returns all findings, errors and warnings, in rule order. */
export function judge<K extends SubjectKind>(subjectKind: K, subject: RuleSubjects[K], context: RuleContext = ruleContext()): Finding[] {
    const selected = rules.filter((r) => r.subject === subjectKind) as unknown as Rule<K>[];
    return judgeWith(selected, subject, context);
}

/** What one subject (one intent object) came to, for the subjects that share it: the rules, the context, the findings. */
const judged = new WeakMap<object, { readonly context: RuleContext; readonly from: readonly AnyRule[]; readonly only?: readonly string[]; readonly findings: readonly Finding[] }>();

/**
 * Judges one subject with the rules of its kind (those it names, when it names some), from the given list. Subjects
 * that share one intent object (the items of one share, each reported on its own resource) are judged once: a rule's
 * outcome depends on the intent and the context alone, so the findings are reused, about each subject.
 */
export function judgeSubject(s: RuleSubject, context: RuleContext, from: readonly AnyRule[] = rules): Finding[] {
    const about = { type: s.type, name: s.name, urn: s.urn };
    const earlier = judged.get(s.subject);
    if (earlier !== undefined && earlier.context === context && earlier.from === from && earlier.only === s.only) {
        return earlier.findings.map((f) => ({ ...f, subject: about }));
    }
    const selected = from.filter((r) => r.subject === s.kind && (s.only === undefined || s.only.includes(r.id))) as unknown as Rule<typeof s.kind>[];
    const findings = judgeWith(selected, s.subject as never, context, about);
    judged.set(s.subject, { context, from, only: s.only, findings });
    return findings;
}
