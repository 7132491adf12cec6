/** Rules on the share roles: names (S4), trust (S1, S5, C21), KMS grants (S2, C9), document limits (C32). */
import { kmsKeyListArn } from "../alibaba/arn";
import { resourceSharingTargetId } from "../alibaba/ids";
import { KMS_KEY_ACTIONS, KMS_LIST_ACTION, SHARE_ROLE_NAME } from "../alibaba/names";
import { analyzePermissionPolicy, analyzeTrustPolicy } from "../ram/analyze";
import { documentBytes } from "../ram/documents";
import { defineRule, Problem } from "./types";

const list = (values: readonly string[]): string => values.join(", ");

export const shareRoleName = defineRule({
    id: "share-role-name",
    constraints: ["S4", "C9", "C21"],
    severity: "error",
    title: "Share roles carry the exact well-known names",
    description:
        "ECS looks for `AliyunECSShareEncryptSnapshotDefaultRole` (snapshots) and `AliyunECSShareEncryptImageDefaultRole` (images) by name; " +
        "a role with any other name is silently never used.",
    subject: "role",
    check: (role) => {
        const name = role.roleName.value;
        const expected = role.kind === undefined ? Object.values(SHARE_ROLE_NAME) : [SHARE_ROLE_NAME[role.kind]];
        return name !== undefined && !expected.includes(name)
            ? [{ path: role.roleName.path, message: `role name ${JSON.stringify(name)} is not ${expected.join(" or ")}.`, fix: `Name the role exactly ${expected.join(" or ")}.` }]
            : [];
    },
});

export const oneRolePerName = defineRule({
    id: "one-role-per-name",
    constraints: ["S4", "C9", "C21"],
    severity: "error",
    title: "One program defines each share role once per account",
    description:
        "An account holds one role of each name. Two definitions of the same share role overwrite each other's trust and " +
        "KMS grants, so one share silently loses its recipients.",
    subject: "role",
    check: (role) =>
        (role.otherDefinitions ?? []).length > 0
            ? [{
                  path: role.roleName.path,
                  message: `role ${role.roleName.value ?? "(unknown name)"} is also defined by ${list(role.otherDefinitions ?? [])}; an account holds one role of a name.`,
                  fix: "Create one EncryptedShareRole with every recipient and key (`additionalKmsKeys`) and pass `createShareRole: false` to each share that uses it.",
              }]
            : [],
});

export const trustPolicyNotOpen = defineRule({
    id: "trust-policy-not-open",
    constraints: ["S1", "C21"],
    severity: "error",
    title: "A share role never trusts every account's ECS",
    description:
        "A trust policy that grants `*@ecs.aliyuncs.com` (or `*`) must carry a `sts:ServiceOwnerRDId` or `sts:ServiceOwnerRDPath` condition; " +
        "without it the ECS service of any account could use the key. A trust policy that cannot be read cannot be proven safe.",
    subject: "role",
    check: (role) => {
        if (role.trustPolicy.value === undefined) {
            return [];
        }
        const analysis = analyzeTrustPolicy(role.trustPolicy.value);
        const problems: Problem[] = analysis.openPrincipals.map((p) => ({
            path: role.trustPolicy.path,
            message: `the trust policy lets ${JSON.stringify(p)} assume the role with no directory condition: any account's ECS could use the key.`,
            fix: "Trust `<uid>@ecs.aliyuncs.com` per sharee account, or add a `sts:ServiceOwnerRDId` / `sts:ServiceOwnerRDPath` condition.",
        }));
        if (analysis.problems.length > 0) {
            problems.push({
                path: role.trustPolicy.path,
                message: `the trust policy cannot be read: ${list(analysis.problems)}.`,
                fix: "Give a JSON trust policy with a Statement list, as the library's trust-policy builders render it.",
            });
        }
        return problems;
    },
});

/** The KMS actions a share role may have, and the ones it needs on each key. */
const ALLOWED_KMS_ACTIONS = new Set([KMS_LIST_ACTION, ...KMS_KEY_ACTIONS]);
const KEY_ARN = /^acs:kms:[a-z0-9-]+:[0-9]{16}:key\/[A-Za-z0-9-]+$/;
const KEY_LIST_ARN = /^acs:kms:[a-z0-9-]+:[0-9]{16}:key$/;

export const kmsPolicyMinimal = defineRule({
    id: "kms-policy-minimal",
    constraints: ["S2", "C9", "C21"],
    severity: "error",
    title: "A share role's KMS grants are exactly the documented ones, on exact keys",
    description:
        "The share role gets `kms:List*` on the key list and `kms:DescribeKey`, `kms:TagResource`, `kms:UntagResource`, `kms:Encrypt`, " +
        "`kms:Decrypt`, `kms:GenerateDataKey` on the exact key ARNs: no wildcard actions or resources, nothing else, nothing missing.",
    subject: "role",
    check: (role) => {
        const policy = role.kmsPolicy;
        if (policy === undefined || policy.value === undefined) {
            return [];
        }
        const analysis = analyzePermissionPolicy(policy.value);
        const problems: Problem[] = [];
        const fix = "Use the library's `kmsSharePolicy` document for the key: exactly the C9 actions on the exact key ARN.";
        if (analysis.problems.length > 0) {
            problems.push({ path: policy.path, message: `the KMS policy cannot be read: ${list(analysis.problems)}.`, fix });
        }
        const granted = new Map<string, Set<string>>();
        for (const grant of analysis.grants) {
            for (const action of grant.actions) {
                if (!ALLOWED_KMS_ACTIONS.has(action)) {
                    problems.push({ path: policy.path, message: `the KMS policy grants ${JSON.stringify(action)}, which sharing does not need.`, fix });
                    continue;
                }
                for (const resource of grant.resources) {
                    const fits = action === KMS_LIST_ACTION ? KEY_LIST_ARN.test(resource) : KEY_ARN.test(resource);
                    if (!fits) {
                        problems.push({ path: policy.path, message: `the KMS policy grants ${action} on ${JSON.stringify(resource)}, not on an exact key ARN.`, fix });
                        continue;
                    }
                    granted.set(resource, (granted.get(resource) ?? new Set()).add(action));
                }
            }
        }
        for (const keyArn of role.expectedKeyArns ?? []) {
            const listArn = kmsKeyListArn(keyArn.split(":")[2], keyArn.split(":")[3]);
            const missing = [
                ...KMS_KEY_ACTIONS.filter((a) => !granted.get(keyArn)?.has(a)),
                ...(granted.get(listArn)?.has(KMS_LIST_ACTION) ? [] : [KMS_LIST_ACTION]),
            ];
            if (missing.length > 0) {
                problems.push({ path: policy.path, message: `the KMS policy lacks ${list(missing)} for ${keyArn}; sharing would fail.`, fix });
            }
        }
        return problems;
    },
});

/**
 * A principal as Resource Sharing names it: an account, a directory, or the last folder of a path (a trust policy's
 * folder pattern loses its `*`). Recipients and trusted principals are compared in this form.
 */
function sharingId(principal: string): string {
    return resourceSharingTargetId(principal.endsWith("*") ? principal.slice(0, -1) : principal);
}

export const trustMatchesTargets = defineRule({
    id: "trust-matches-targets",
    constraints: ["S5", "C9", "C21"],
    severity: "error",
    title: "A share role trusts exactly the recipients of the encrypted shares",
    description:
        "Each recipient of an encrypted share must be trusted by the share role (or the share fails for it), and nobody else should be " +
        "(a stale principal keeps access to the key). Folders are compared by their id, the last element of their path.",
    subject: "role",
    check: (role) => {
        if (role.expectedTargets === undefined || role.trustPolicy.value === undefined) {
            return [];
        }
        const analysis = analyzeTrustPolicy(role.trustPolicy.value);
        const trusted = new Set([...analysis.accountIds, ...analysis.directoryIds, ...analysis.folderPathPatterns].map(sharingId));
        const expected = new Set(role.expectedTargets.map(sharingId));
        const missing = [...expected].filter((v) => !trusted.has(v));
        const stale = [...trusted].filter((v) => !expected.has(v));
        return [
            ...(missing.length > 0
                ? [{
                      path: role.trustPolicy.path,
                      message: `the share role does not trust ${list(missing)}, recipient${missing.length === 1 ? "" : "s"} of an encrypted share.`,
                      fix: "Add them to the role's trust policy (or let the component build it from the targets).",
                  }]
                : []),
            ...(stale.length > 0
                ? [{
                      path: role.trustPolicy.path,
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
    title: "RAM documents fit in 6,144 bytes; session durations are 3,600 to 43,200 s",
    description: "RAM rejects a larger policy or trust document, and a role's maximum session duration outside that range.",
    subject: "role",
    check: (role, { limits }) => {
        const problems: Problem[] = [];
        for (const doc of [role.trustPolicy, role.kmsPolicy]) {
            if (doc?.value === undefined) {
                continue;
            }
            const text = typeof doc.value === "string" ? doc.value : JSON.stringify(doc.value);
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
        if (duration !== undefined && (duration < limits.minRoleSessionSeconds || duration > limits.maxRoleSessionSeconds)) {
            problems.push({
                path: role.maxSessionDuration!.path,
                message: `maximum session duration ${duration} s is outside ${limits.minRoleSessionSeconds} to ${limits.maxRoleSessionSeconds} s.`,
                fix: "Leave it out (3,600 s) or give a value in that range.",
            });
        }
        return problems;
    },
});
