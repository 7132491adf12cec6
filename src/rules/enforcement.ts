/**
 * The enforcement matrix: where each rule is judged. The components judge their arguments at construction; the
 * policy pack judges raw resources one at a time (resource policies) and whole stacks (stack policies). Every rule
 * names the components and policies that judge it, or says why none does; the pack's policies take their rules from
 * here, so the matrix in docs/RULES.md is what runs.
 */

/** The components, by class name. */
export const COMPONENT_NAMES = [
    "SharedSnapshot",
    "SharedImage",
    "EncryptedShareRole",
    "SharedSnapshotDisk",
    "ShareeImageAccess",
    "ShareAcceptance",
    "SnapshotCopy",
] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

/** The policies of the pack that judge rules, and whether each judges one resource at a time or the whole stack. */
export const POLICY_KINDS = {
    "sharing-share-role": "resource",
    "sharing-share-role-attachment": "resource",
    "sharing-resource-share": "resource",
    "sharing-image-permission": "resource",
    "sharing-recipients": "resource",
    "sharing-sharee-disk": "resource",
    "sharing-limits": "stack",
    "sharing-directory-and-accounts": "stack",
    "sharing-share-contents": "stack",
    "sharing-share-roles": "stack",
    "sharing-shared-keys": "stack",
    "sharing-encrypted-images": "stack",
    "sharing-regions": "stack",
    "sharing-unencrypted-snapshots": "stack",
} as const;
export type PolicyName = keyof typeof POLICY_KINDS;
export const POLICY_NAMES = Object.keys(POLICY_KINDS) as PolicyName[];

/** Why an enforcement point does not judge a rule. */
export interface NotJudged {
    readonly reason: string;
}

/** Where a rule is judged. */
export interface Enforcement {
    /** The components that judge it at construction (or at deploy time, for values known only then), or why none does. */
    readonly components: readonly ComponentName[] | NotJudged;
    /** The policies of the pack that judge it before deployment, or why none does. */
    readonly policies: readonly PolicyName[] | NotJudged;
}

/** The components or policies of an enforcement entry; empty when it carries a reason instead. */
export const judgedBy = <T extends string>(entry: readonly T[] | NotJudged): readonly T[] => (Array.isArray(entry) ? (entry as readonly T[]) : []);

/** The reason an enforcement entry gives, when it names no component or policy. */
export const reasonOf = (entry: readonly string[] | NotJudged): string | undefined => (Array.isArray(entry) ? undefined : (entry as NotJudged).reason);

/** The share components, which take recipients and judge the share rules. */
export const SHARE_COMPONENTS: readonly ComponentName[] = ["SharedSnapshot", "SharedImage"];
/** Components that take recipients: the share components and the share role. */
export const RECIPIENT_COMPONENTS: readonly ComponentName[] = ["SharedSnapshot", "SharedImage", "EncryptedShareRole"];
