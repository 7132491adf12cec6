/** The rule registry: every rule once, and the functions that run them. */
import { ACCOUNT_SITES, AccountSite, DEFAULT_LIMITS, SharingLimits } from "../alibaba/limits";
import { directoryAndAccounts, encryptedImageRegion, imageAccountQuota, imageCopyRegions, imageServiceKey, paidImage, unencryptedImageAcknowledged } from "./images";
import { kmsPolicyMinimal, ramDocumentLimits, shareRoleName, trustMatchesTargets, trustPolicyNotOpen } from "./roles";
import { resourceType, shareName } from "./shares";
import {
    copyKey,
    diskFromSharedSnapshot,
    noReshare,
    snapshotAccountLimit,
    snapshotOwnerQuota,
    snapshotServiceKey,
    snapshotViaResourceShare,
} from "./snapshots";
import { idFormats, noDuplicatePrincipals, notOwnAccount, principalFormat, sameSite } from "./targets";
import { AnyRule, Finding, Problem, RuleContext, RuleSubjects, SubjectKind } from "./types";

/** Every rule, in catalogue order. */
export const rules: readonly AnyRule[] = Object.freeze([
    principalFormat,
    notOwnAccount,
    sameSite,
    noDuplicatePrincipals,
    idFormats,
    snapshotViaResourceShare,
    snapshotAccountLimit,
    snapshotOwnerQuota,
    snapshotServiceKey,
    noReshare,
    diskFromSharedSnapshot,
    copyKey,
    imageAccountQuota,
    imageCopyRegions,
    encryptedImageRegion,
    imageServiceKey,
    directoryAndAccounts,
    unencryptedImageAcknowledged,
    paidImage,
    shareName,
    resourceType,
    shareRoleName,
    trustPolicyNotOpen,
    kmsPolicyMinimal,
    trustMatchesTargets,
    ramDocumentLimits,
]);

/** Finds a rule by id. */
export function ruleById(id: string): AnyRule | undefined {
    return rules.find((r) => r.id === id);
}

/** A context from optional overrides. */
export function ruleContext(overrides: { limits?: Partial<SharingLimits>; accountSites?: Record<string, AccountSite> } = {}): RuleContext {
    return { limits: { ...DEFAULT_LIMITS, ...overrides.limits }, accountSites: overrides.accountSites ?? {} };
}

/** Runs every rule for a subject and returns all findings, errors and warnings, in rule order. */
export function judge<K extends SubjectKind>(subjectKind: K, subject: RuleSubjects[K], context: RuleContext = ruleContext()): Finding[] {
    const findings: Finding[] = [];
    for (const rule of rules) {
        if (rule.subject !== subjectKind) {
            continue;
        }
        const check = rule.check as (s: RuleSubjects[K], c: RuleContext) => readonly Problem[];
        for (const problem of check(subject, context)) {
            findings.push({ ...problem, ruleId: rule.id, constraints: rule.constraints, severity: rule.severity });
        }
    }
    return findings;
}

/** True when the value is one of the two account sites (C3). */
export const isAccountSite = (v: unknown): v is AccountSite => (ACCOUNT_SITES as readonly unknown[]).includes(v);
