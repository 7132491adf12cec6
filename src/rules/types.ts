/** The rule registry's types: a rule judges one kind of subject and returns findings. */
import type { ConstraintId } from "../alibaba/constraints";
import type { AccountSite, SharingLimits } from "../alibaba/limits";
import type { AccessIntent, CopyIntent, DiskIntent, ExemptionIntent, ImageSourceIntent, KeyIntent, Located, RoleIntent, ShareIntent } from "../intent/model";
import type { Enforcement } from "./enforcement";
import type { ResourceKind } from "../alibaba/kinds";
import type { Organization } from "../graph/organization";

export type { ConstraintId };

/** An error stops the deployment; a warning is logged and lets it go on. */
export type Severity = "error" | "warning";

/** What each kind of rule judges. */
export interface RuleSubjects {
    readonly share: ShareIntent;
    readonly role: RoleIntent;
    readonly disk: DiskIntent;
    readonly copy: CopyIntent;
    readonly access: AccessIntent;
    readonly key: KeyIntent;
    readonly exemption: ExemptionIntent;
    readonly imageSource: ImageSourceIntent;
}
export type SubjectKind = keyof RuleSubjects;

/**
 * One thing to judge, and what it is about: the resource (or component) a finding is reported on, and the ids of the
 * rules that apply to it (all of the subject kind's when absent).
 */
export type RuleSubject = {
    [K in SubjectKind]: {
        kind: K;
        subject: RuleSubjects[K];
        urn: string;
        name: string;
        /** The resource's or component's type token. */
        type: string;
        only?: readonly string[];
        /** The graph nodes it is about, when it comes from the sharing graph (what a change to the graph touches). */
        nodes?: readonly string[];
    };
}[SubjectKind];

/** What a rule's check returns: where, what is wrong, and the fix. */
export interface Problem {
    /** The property path or place of the offending value, e.g. `accountIds[3]`. */
    readonly path: string;
    /** What is wrong, naming the offending value. */
    readonly message: string;
    /** What to do instead. */
    readonly fix: string;
    /**
     * The recipients or principals the message names, as the rule compares them (an account id, `rd-…`, a folder's id
     * or path): for a component to place them in its own arguments (`accountIds[1]`) when the rule's path is a document
     * it renders from them. Components drop it once placed; reports never show it.
     */
    readonly values?: readonly string[];
}

/** What a finding is about: a component (its type token and name) or a resource (its URN). */
export interface FindingSubject {
    /** The component's or resource's type token. */
    readonly type: string;
    /** The component's or resource's name. */
    readonly name: string;
    /** The resource's URN, when known. */
    readonly urn?: string;
}

/** A problem with the metadata of the rule that found it: the unit every enforcement point reports. */
export interface Finding extends Problem {
    readonly ruleId: string;
    readonly constraints: readonly ConstraintId[];
    readonly severity: Severity;
    /** What was judged, when the reporter knows it. */
    readonly subject?: FindingSubject;
}

/** What a rule may read besides its subject: limits and organization facts. */
export interface RuleContext {
    readonly limits: SharingLimits;
    /** C3: the site of each account the organization knows. */
    readonly accountSites: Readonly<Record<string, AccountSite>>;
    /** S3: who may receive shares; absent means anyone the other rules allow. */
    readonly allowedRecipients?: AllowedRecipients;
    /** C30, C13: the accounts known to be members of the owner's resource directory; absent means none is known. */
    readonly resourceDirectoryAccountIds?: readonly string[];
    /** The organization file's tree, when given: where each folder and member account sits. */
    readonly organization?: Organization;
    /** S6: an unknown recipient, key or trust document is a violation (the policy pack), not a later check (the components). */
    readonly failClosedOnUnknown: boolean;
    /** S7: today's date, `YYYY-MM-DD`, to expire exemptions. */
    readonly today: string;
}

/** S3: the recipients an organization allows. */
export interface AllowedRecipients {
    readonly accountIds: readonly string[];
    readonly resourceDirectoryIds: readonly string[];
    /** Folder paths; a path allows itself and every folder below it. */
    readonly folderPathPrefixes: readonly string[];
}

export interface Rule<K extends SubjectKind = SubjectKind> {
    /** Stable kebab-case id. */
    readonly id: string;
    /** The constraints it enforces. */
    readonly constraints: readonly ConstraintId[];
    readonly severity: Severity;
    /** One line; no configurable number in it (the description says the default and the setting). */
    readonly title: string;
    /** Why the rule exists and what it checks, for docs/RULES.md. */
    readonly description: string;
    readonly subject: K;
    /**
     * The kinds of shared resource the rule applies to (share subjects): a share of another kind is not applicable, an
     * outcome of its own rather than an empty list. All kinds when absent.
     */
    readonly kinds?: readonly ResourceKind[];
    /** Where the rule is judged: by which components at construction, by which policies of the pack, or why not. */
    readonly enforcement: Enforcement;
    /** Pure: judges the concrete values of the subject, skips unknown ones. */
    readonly check: (subject: RuleSubjects[K], context: RuleContext) => readonly Problem[];
    /**
     * The values the check needs, for S6: when failing closed (the pack's default), each one unknown at preview is a
     * `values-known` violation instead of a skipped check. Absent when the rule's own S6 rule covers its values.
     */
    readonly reads?: (subject: RuleSubjects[K]) => readonly Located<unknown>[];
}

/** What judging a rule on a subject came to: compliant, non-compliant (with its findings), or not applicable. */
export interface Outcome {
    readonly ruleId: string;
    readonly outcome: "compliant" | "non-compliant" | "not-applicable";
    readonly findings: readonly Finding[];
}

/** A rule of any subject kind: what the registry holds. */
export type AnyRule = { [K in SubjectKind]: Rule<K> }[SubjectKind];

/** Declares a rule with its subject type inferred. */
export function defineRule<K extends SubjectKind>(rule: Rule<K>): Rule<K> {
    return Object.freeze(rule);
}

/** `[C6] what is wrong. The fix. (rule snapshot-account-limit)`: the form of every message, rendered from a finding. */
export function formatFinding(finding: Finding, where?: string): string {
    return `[${finding.constraints.join(", ")}] ${finding.message} ${finding.fix} (rule ${finding.ruleId}${where === undefined ? "" : `; at ${where}`})`;
}

/** A value as message text: a string as it is, anything else as JSON (never throws, whatever the value). */
export function showValue(value: unknown): string {
    if (typeof value === "string") {
        return value;
    }
    try {
        return JSON.stringify(value) ?? Object.prototype.toString.call(value);
    } catch {
        return Object.prototype.toString.call(value);
    }
}

/** How many values a message lists before it says how many more there are. */
export const LISTED_VALUES = 5;

/**
 * Values as message text, at most `LISTED_VALUES` of them, then how many more: `a, b, c, d, e and 995 more`, so a
 * message stays short whatever the stack (a report of 2,000 recipients is one line, not 2,000).
 */
export function showValues(values: readonly unknown[]): string {
    const shown = values.slice(0, LISTED_VALUES).map(showValue).join(", ");
    return values.length > LISTED_VALUES ? `${shown} and ${values.length - LISTED_VALUES} more` : shown;
}

/** A value quoted for a message: JSON (a string in quotes), never throwing whatever the value is. */
export function quoteValue(value: unknown): string {
    return typeof value === "string" ? JSON.stringify(value) : showValue(value);
}
