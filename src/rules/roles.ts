/** Rules on the share roles: names (S4), trust (S1, S5, C21), KMS grants (S2, C9), document limits (C32). */
import { KmsArn, kmsKeyArn, kmsKeyListArn, parseKmsArn } from "../alibaba/arn";
import { sharingIdOf } from "../alibaba/ids";
import { DEFAULT_LIMITS } from "../alibaba/limits";
import { KMS_KEY_ACTIONS, KMS_LIST_ACTION, RESOURCE_KINDS, SHARE_ROLE_NAME } from "../alibaba/names";
import { ConditionalAccount, analyzePermissionPolicy, analyzeTrustPolicy } from "../ram/analyze";
import type { Organization } from "../graph/organization";
import { documentBytes } from "../ram/documents";
import { RECIPIENT_COMPONENTS } from "./enforcement";
import { defineRule, LISTED_VALUES, Problem, quoteValue, showValue, showValues } from "./types";

const list = (values: readonly unknown[]): string => showValues(values);
const quote = quoteValue;

export const shareRoleName = defineRule({
    id: "share-role-name",
    constraints: ["S4", "C9", "C21"],
    severity: "error",
    title: "Share roles carry the exact well-known names",
    description:
        "ECS looks for `AliyunECSShareEncryptSnapshotDefaultRole` (snapshots) and `AliyunECSShareEncryptImageDefaultRole` (images) by name; " +
        "a role with any other name is silently never used. A role that trusts ECS's service is a share role and must carry one of them. " +
        'EncryptedShareRole takes the kind as `resourceKind`, exactly `"snapshot"` or `"image"`.',
    subject: "role",
    enforcement: { components: ["EncryptedShareRole"], policies: ["sharing-share-role"] },
    reads: (role) => [role.roleName],
    check: (role) => {
        const problems: Problem[] = [];
        const given = role.resourceKind;
        if (given !== undefined && given.value !== undefined && !(RESOURCE_KINDS as readonly string[]).includes(given.value)) {
            problems.push({
                path: given.path,
                message: `resourceKind ${quote(given.value)} is neither "snapshot" nor "image"; it decides the role's well-known name.`,
                fix: 'Give "snapshot" or "image".',
            });
        }
        const name = role.roleName.value;
        const expected = role.kind === undefined ? Object.values(SHARE_ROLE_NAME) : [SHARE_ROLE_NAME[role.kind]];
        if (name !== undefined && !expected.includes(name)) {
            problems.push({ path: role.roleName.path, message: `role name ${quote(name)} is not ${expected.join(" or ")}.`, fix: `Name the role exactly ${expected.join(" or ")}.` });
        }
        return problems;
    },
});

export const oneRolePerName = defineRule({
    id: "one-role-per-name",
    constraints: ["S4", "C9", "C21"],
    severity: "error",
    title: "One program defines each share role once per account",
    description:
        "An account holds one role of each name. Two definitions of the same share role overwrite each other's trust and " +
        "KMS grants, so one share silently loses its recipients. The pack tells accounts apart by the provider's account.",
    subject: "role",
    enforcement: { components: RECIPIENT_COMPONENTS, policies: ["sharing-share-roles"] },
    check: (role) => {
        const others = role.otherDefinitions ?? [];
        if (others.length === 0) {
            return [];
        }
        const total = Math.max(role.otherDefinitionCount ?? others.length, others.length);
        const named = total > others.length ? `${total} others, first ${list(others)}` : others.length > LISTED_VALUES ? `${others.length} others: ${list(others)}` : list(others);
        return [{
            path: role.roleName.path,
            message: `role ${role.roleName.value ?? "(unknown name)"} is also defined by ${named}; an account holds one role of a name.`,
            fix: "Create one EncryptedShareRole with every recipient and key (`additionalKmsKeys`) and pass `createShareRole: false` to each share that uses it.",
        }];
    },
});

export const trustPolicyNotOpen = defineRule({
    id: "trust-policy-not-open",
    constraints: ["S1", "C21"],
    severity: "error",
    title: "A share role's trust lets only ECS of known accounts, directories or folders assume it",
    description:
        "Every statement of a share role's trust policy is `Allow` `sts:AssumeRole`, and every principal is exactly `<16-digit account>@ecs.aliyuncs.com`, " +
        "or `*@ecs.aliyuncs.com` narrowed to a resource directory (`StringEquals` `sts:ServiceOwnerRDId` = `rd-…`) or to folder paths " +
        "(`StringEquals` or `StringLike` `sts:ServiceOwnerRDPath` = `rd-…/r-…[/fd-…]`, at most a trailing `*`). Anything else (RAM, Federated " +
        "or partial-wildcard principals, `NotPrincipal`, Deny, other or wildcard-only conditions) cannot be proven safe: without a directory " +
        "condition the ECS service of any account could use the key. A trust policy that cannot be read cannot be proven safe either.",
    subject: "role",
    enforcement: {
        components: { reason: "the components render every trust policy from the recipients, in the documented shapes only" },
        policies: ["sharing-share-role"],
    },
    check: (role) => {
        const trust = role.trustPolicy;
        if (trust?.value === undefined) {
            return [];
        }
        const analysis = analyzeTrustPolicy(trust.value);
        const fix = "Trust `<uid>@ecs.aliyuncs.com` per sharee account, or `*@ecs.aliyuncs.com` with a `sts:ServiceOwnerRDId` / `sts:ServiceOwnerRDPath` condition, and nothing else (the library's trust-policy builders render exactly that).";
        const problems: Problem[] = analysis.unsafe.map((u) => ({ path: trust.path, message: `the trust policy cannot be proven safe: ${u}.`, fix }));
        if (analysis.problems.length > 0) {
            problems.push({ path: trust.path, message: `the trust policy cannot be read: ${list(analysis.problems)}.`, fix });
        }
        return problems;
    },
});

/** The KMS actions a share role may have. */
const ALLOWED_KMS_ACTIONS = new Set([KMS_LIST_ACTION, ...KMS_KEY_ACTIONS]);
const KMS_FIX = "Use the library's `kmsSharePolicy` document for the keys: exactly the C9 actions on the exact key ARNs, and kms:List* on their key lists.";

export const kmsPolicyMinimal = defineRule({
    id: "kms-policy-minimal",
    constraints: ["S2", "C9", "C21"],
    severity: "error",
    title: "A share role's KMS policy grants only the documented actions, on exact keys",
    description:
        "A KMS policy of a share role grants `kms:List*` only on key lists (`acs:kms:<region>:<account>:key`) and `kms:DescribeKey`, " +
        "`kms:TagResource`, `kms:UntagResource`, `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey` only on exact key ARNs: no wildcard " +
        "action or resource, no `NotAction` / `NotResource`, nothing else.",
    subject: "role",
    enforcement: {
        components: { reason: "the components render the KMS policy from the keys; it holds exactly the C9 actions on exact ARNs" },
        policies: ["sharing-share-roles"],
    },
    check: (role) => {
        const policy = role.kmsPolicy;
        if (policy === undefined || policy.value === undefined) {
            return [];
        }
        const analysis = analyzePermissionPolicy(policy.value);
        const problems: Problem[] = analysis.problems.map((p) => ({ path: policy.path, message: `the KMS policy cannot be proven minimal: ${p}.`, fix: KMS_FIX }));
        for (const grant of analysis.grants) {
            for (const action of grant.actions) {
                if (!ALLOWED_KMS_ACTIONS.has(action)) {
                    problems.push({ path: policy.path, message: `the KMS policy grants ${quote(action)}, which sharing does not need.`, fix: KMS_FIX });
                    continue;
                }
                for (const resource of grant.resources) {
                    const arn = parseKmsArn(resource);
                    const fits = arn !== undefined && (action === KMS_LIST_ACTION ? arn.keyId === undefined : arn.keyId !== undefined);
                    if (!fits) {
                        problems.push({ path: policy.path, message: `the KMS policy grants ${action} on ${quote(resource)}, not on an exact ${action === KMS_LIST_ACTION ? "key list" : "key"} ARN.`, fix: KMS_FIX });
                    }
                }
            }
        }
        return problems;
    },
});

/** Whether a pattern (an action or resource of a Deny, with `*` wildcards) matches a value. */
const wildcardMatches = (pattern: string, value: string): boolean =>
    new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i").test(value);

/**
 * What the attached policies grant for certain, by exact ARN: Allow statements without a condition, less what any Deny
 * takes back (a conditional Deny too: it may apply).
 */
function exactGrants(documents: readonly unknown[]): Map<string, Set<string>> {
    const granted = new Map<string, Set<string>>();
    const denies = documents.flatMap((d) => analyzePermissionPolicy(d).denies);
    for (const document of documents) {
        for (const grant of analyzePermissionPolicy(document).grants.filter((g) => !g.conditional)) {
            for (const resource of grant.resources) {
                if (parseKmsArn(resource) === undefined) {
                    continue;
                }
                const actions = granted.get(resource) ?? new Set<string>();
                grant.actions
                    .filter((a) => !denies.some((d) => d.actions.some((p) => wildcardMatches(p, a)) && d.resources.some((p) => wildcardMatches(p, resource))))
                    .forEach((a) => actions.add(a));
                granted.set(resource, actions);
            }
        }
    }
    return granted;
}

/** The actions a key lacks: the six on the key, and kms:List* on its key list. */
function missingFor(key: KmsArn & { keyId: string }, granted: Map<string, Set<string>>): string[] {
    const onKey = granted.get(kmsKeyArn(key.region, key.ownerAccountId, key.keyId));
    const onList = granted.get(kmsKeyListArn(key.region, key.ownerAccountId));
    return [...KMS_KEY_ACTIONS.filter((a) => !onKey?.has(a)), ...(onList?.has(KMS_LIST_ACTION) ? [] : [`${KMS_LIST_ACTION} on ${kmsKeyListArn(key.region, key.ownerAccountId)}`])];
}

/** An expected key, `acs:kms:<region>:<account>:key/<id>` where the region or account may be `*` while unknown. */
function expectedKey(arn: string): { region: string; account: string; keyId: string } | undefined {
    const m = /^acs:kms:([^:]+):([^:]+):key\/(.+)$/.exec(arn);
    return m === null ? undefined : { region: m[1], account: m[2], keyId: m[3] };
}

export const kmsGrantsComplete = defineRule({
    id: "kms-grants-complete",
    constraints: ["C9", "C21", "S2"],
    severity: "error",
    title: "A share role can use every key of its encrypted shares",
    description:
        "The share role of encrypted shares has a custom policy attached that grants, for each key of those shares, the six key actions of C9 " +
        "on the key's ARN and `kms:List*` on the key list of its region and account. A role with no KMS policy attached, a key not granted, " +
        "a key granted only some actions, only under a condition, or taken back by a Deny, makes sharing fail at deploy time.",
    subject: "role",
    enforcement: {
        components: { reason: "the components render the KMS policy from exactly the share's keys and attach it to the role before any share" },
        policies: ["sharing-share-roles"],
    },
    check: (role) => {
        const documents = role.attachedKmsPolicies;
        if (documents === undefined) {
            return [];
        }
        const path = documents[0]?.path ?? role.roleName.path;
        if (documents.length === 0) {
            const name = role.roleName.value === undefined ? "the share role" : `share role ${role.roleName.value}`;
            return [{ path, message: `no KMS policy is attached to ${name}; ECS cannot use the key to share.`, fix: `Attach a custom policy with the C9 grants for the shares' keys (EncryptedShareRole does). ${KMS_FIX}` }];
        }
        if (documents.some((d) => d.value === undefined)) {
            // A document unknown at preview could hold the grant; S6 (role-documents-known) reports the unknown document.
            return [];
        }
        const granted = exactGrants(documents.map((d) => d.value));
        const problems: Problem[] = [];
        const keys = new Map<string, KmsArn & { keyId: string }>();
        for (const resource of granted.keys()) {
            const arn = parseKmsArn(resource);
            if (arn?.keyId !== undefined && KMS_KEY_ACTIONS.some((a) => granted.get(resource)!.has(a))) {
                keys.set(resource, { ...arn, keyId: arn.keyId });
            }
        }
        for (const [keyArn, key] of keys) {
            const missing = missingFor(key, granted);
            if (missing.length > 0) {
                problems.push({ path, message: `the KMS grants for ${keyArn} lack ${list(missing)}; sharing would fail.`, fix: KMS_FIX });
            }
        }
        for (const keyArn of role.expectedKeyArns ?? []) {
            const expected = expectedKey(keyArn);
            // A part still unknown (the owner account of a provider that does not name it) matches any: the key id must.
            const found = expected !== undefined && [...keys.values()].some((k) => k.keyId === expected.keyId && (expected.region === "*" || k.region === expected.region) && (expected.account === "*" || k.ownerAccountId === expected.account));
            if (expected !== undefined && !found) {
                problems.push({
                    path,
                    message: `no KMS grant for ${keyArn}, the key of an encrypted share${role.definedBy === undefined ? "" : `, in the share role (${role.definedBy})`}; sharing would fail.`,
                    fix: role.definedBy === undefined ? KMS_FIX : `Give the key to ${role.definedBy} (\`kmsKeyId\` or \`additionalKmsKeys\`).`,
                });
            }
        }
        if (keys.size === 0 && (role.expectedKeyArns ?? []).length === 0) {
            problems.push({ path, message: "the policies attached to the share role grant no key; ECS cannot use the key to share.", fix: KMS_FIX });
        }
        return problems;
    },
});

/** Whether the organization's tree puts an account in one of the directories or folders its trust condition names. */
function admittedByTree(c: ConditionalAccount, organization: Organization | undefined): boolean {
    const folder = organization?.accountFolders.get(c.accountId);
    if (folder === undefined) {
        return false;
    }
    const inDirectory = c.directoryIds === undefined || c.directoryIds.includes(folder.split("/")[0]);
    const inFolder = c.folderPathPatterns === undefined || c.folderPathPatterns.some((p) => (p.endsWith("*") ? folder.startsWith(p.slice(0, -1)) : folder === p));
    return inDirectory && inFolder;
}

/** A principal as Resource Sharing names it (see `sharingIdOf`), of any value a document holds. */
const sharingId = (value: unknown): string => sharingIdOf(showValue(value));

export const trustMatchesTargets = defineRule({
    id: "trust-matches-targets",
    constraints: ["S5", "C9", "C21"],
    severity: "error",
    title: "A share role trusts exactly the recipients of the encrypted shares",
    description:
        "Each recipient of an encrypted share, through a resource share or an image permission, must be trusted by the share role of its " +
        "account (or the share fails for it), and nobody else should be (a stale principal keeps access to the key); a role that would trust " +
        "nobody is a mistake. Folders are compared by their id, the last element of their path.",
    subject: "role",
    enforcement: { components: ["EncryptedShareRole"], policies: ["sharing-share-roles"] },
    check: (role, { organization }) => {
        if (role.expectedTargets === undefined) {
            return [];
        }
        const trust = role.trustPolicy;
        if (role.expectedTargets.length === 0 && trust !== undefined && trust.value === undefined) {
            return [{
                path: "accountIds",
                message: "the role would trust nobody: no account, directory or folder path is given.",
                fix: "Give the recipients of the encrypted shares in `accountIds`, `resourceDirectoryId` or `folderPaths`.",
            }];
        }
        if (trust?.value === undefined) {
            return [];
        }
        const analysis = analyzeTrustPolicy(trust.value);
        // An account trusted under a directory condition is trusted when the organization's tree puts it there (else it
        // cannot be proven: fail closed); it is stale all the same when no share targets it.
        const admitted = analysis.conditionalAccounts.filter((c) => admittedByTree(c, organization)).map((c) => c.accountId);
        const trusted = new Set([...analysis.accountIds, ...admitted, ...analysis.directoryIds, ...analysis.folderPathPatterns].map(sharingId));
        const expected = new Set(role.expectedTargets.map(sharingId));
        const missing = [...expected].filter((v) => !trusted.has(v));
        const stale = role.expectedComplete === false ? [] : [...new Set([...trusted, ...analysis.conditionalAccounts.map((c) => c.accountId)])].filter((v) => !expected.has(v));
        return [
            ...(missing.length > 0
                ? [{
                      path: trust.path,
                      values: missing,
                      message: `the share role${role.definedBy === undefined ? "" : ` (${role.definedBy})`} does not trust ${list(missing)}, recipient${missing.length === 1 ? "" : "s"} of an encrypted share.`,
                      fix:
                          (role.definedBy === undefined ? "Add them to the role's trust policy (or let the component build it from the targets)." : `Add them to the recipients of ${role.definedBy}.`) +
                          " A share of unencrypted snapshots is taken as encrypted with the role of its account unless acknowledged (`unencryptedDataAcknowledged: true`, or the tag `alicloud-sharing-unencrypted-data: acknowledged` on a raw resource share).",
                  }]
                : []),
            ...(stale.length > 0
                ? [{
                      path: trust.path,
                      values: stale,
                      message: `the share role trusts ${list(stale)}, which no encrypted share targets.`,
                      fix: "Remove them from the role's trust policy.",
                  }]
                : []),
        ];
    },
});

export const ramDocumentLimits = defineRule({
    id: "ram-document-limits",
    constraints: ["C32"],
    severity: "error",
    title: "RAM documents and session durations stay within RAM's limits",
    description:
        `RAM rejects a policy or trust document larger than ${DEFAULT_LIMITS.maxPolicyDocumentBytes.toLocaleString("en-US")} bytes (\`maxPolicyDocumentBytes\`), and a role's ` +
        `maximum session duration outside ${DEFAULT_LIMITS.minRoleSessionSeconds.toLocaleString("en-US")} to ${DEFAULT_LIMITS.maxRoleSessionSeconds.toLocaleString("en-US")} s ` +
        "(`minRoleSessionSeconds`, `maxRoleSessionSeconds`).",
    subject: "role",
    enforcement: { components: ["EncryptedShareRole"], policies: ["sharing-share-role", "sharing-share-roles"] },
    reads: (role) => (role.maxSessionDuration === undefined ? [] : [role.maxSessionDuration]),
    check: (role, { limits }) => {
        const problems: Problem[] = [];
        for (const doc of [role.trustPolicy, role.kmsPolicy]) {
            if (doc?.value === undefined) {
                continue;
            }
            const text = typeof doc.value === "string" ? doc.value : showValue(doc.value);
            const bytes = documentBytes(text ?? "");
            if (bytes > limits.maxPolicyDocumentBytes) {
                problems.push({
                    path: doc.path,
                    message: `the document is ${bytes} bytes; RAM takes at most ${limits.maxPolicyDocumentBytes}.`,
                    fix: "Trust a directory or folders instead of many accounts, or split the keys over fewer shares.",
                });
            }
        }
        const duration = role.maxSessionDuration?.value;
        if (duration !== undefined && !(Number.isInteger(duration) && duration >= limits.minRoleSessionSeconds && duration <= limits.maxRoleSessionSeconds)) {
            problems.push({
                path: role.maxSessionDuration!.path,
                message: `maximum session duration ${quote(duration)} s is not a whole number from ${limits.minRoleSessionSeconds} to ${limits.maxRoleSessionSeconds} s.`,
                fix: `Leave it out (${limits.minRoleSessionSeconds} s) or give a whole number of seconds in that range.`,
            });
        }
        return problems;
    },
});
