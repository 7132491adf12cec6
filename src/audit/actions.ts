/**
 * The only API actions the audit may call: one allow-list of read-only actions, per product and API version. Every
 * client the audit builds checks each request against it before anything is sent (see `clients.ts`), so a write
 * action can never leave the process, whichever code path asks for it.
 */
import { AlibabaApiError } from "../sdk/errors";

/** The products the audit reads. */
export type AuditProduct = "ecs" | "resourcesharing" | "ram" | "kms" | "sts" | "resourcedirectorymaster";

/** The API version of each product, as its RPC requests carry it (`Version`). */
export const API_VERSIONS: Readonly<Record<AuditProduct, string>> = Object.freeze({
    ecs: "2014-05-26",
    resourcesharing: "2020-01-10",
    ram: "2015-05-01",
    kms: "2016-01-20",
    sts: "2015-04-01",
    resourcedirectorymaster: "2022-04-19",
});

/**
 * The read-only actions, per product. Nothing else is ever sent: a request for any other action (or another version)
 * is refused with an {@link AlibabaApiError} of code `ActionNotReadOnly` before it is signed. STS `AssumeRole` changes
 * nothing in any account: it is how an organization's audit reads each member (through the directory's access role),
 * and the session it asks for is limited to the read actions of this list ({@link readOnlySessionPolicy}).
 */
export const READ_ONLY_ACTIONS: Readonly<Record<AuditProduct, readonly string[]>> = Object.freeze({
    ecs: Object.freeze(["DescribeRegions", "DescribeImages", "DescribeImageSharePermission", "DescribeSnapshots", "DescribeDisks", "DescribeInstances"]),
    resourcesharing: Object.freeze(["DescribeRegions", "ListResourceShares", "ListResourceShareAssociations", "ListSharedResources"]),
    ram: Object.freeze(["GetRole", "ListPoliciesForRole", "GetPolicyVersion"]),
    kms: Object.freeze(["DescribeKey"]),
    sts: Object.freeze(["GetCallerIdentity", "AssumeRole"]),
    resourcedirectorymaster: Object.freeze(["GetResourceDirectory", "ListFoldersForParent", "ListAccounts"]),
});

/** The RAM service code of each product, as policies name its actions (`ecs:DescribeImages`). */
const SERVICE_CODES: Readonly<Record<AuditProduct, string>> = Object.freeze({
    ecs: "ecs",
    resourcesharing: "resourcesharing",
    ram: "ram",
    kms: "kms",
    sts: "sts",
    resourcedirectorymaster: "resourcedirectory",
});

/**
 * The session policy the audit asks AssumeRole for: an Allow of exactly the read actions it calls in a member account
 * (ECS, Resource Sharing, RAM, KMS), so the session can do nothing else whatever the role may. STS needs no permission.
 */
export function readOnlySessionPolicy(): string {
    const products: AuditProduct[] = ["ecs", "resourcesharing", "ram", "kms"];
    const actions = products.flatMap((p) => READ_ONLY_ACTIONS[p].map((a) => `${SERVICE_CODES[p]}:${a}`));
    return JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: [...new Set(actions)], Resource: "*" }] });
}

/** Whether an action of a product (at a version, when given) is on the read-only list. */
export function isReadOnlyAction(product: AuditProduct, action: string, version?: string): boolean {
    return (version === undefined || version === API_VERSIONS[product]) && READ_ONLY_ACTIONS[product].includes(action);
}

/** The product whose API version this is, if the audit reads it. */
export function productOfVersion(version: string): AuditProduct | undefined {
    return (Object.keys(API_VERSIONS) as AuditProduct[]).find((p) => API_VERSIONS[p] === version);
}

/** Throws, before anything is sent, unless the action is on the read-only list. */
export function assertReadOnly(product: AuditProduct, action: string, version?: string): void {
    if (!isReadOnlyAction(product, action, version)) {
        throw new AlibabaApiError({
            action,
            resource: `${product}${version === undefined ? "" : ` ${version}`}`,
            code: "ActionNotReadOnly",
            detail: `the audit calls only the read-only actions ${READ_ONLY_ACTIONS[product].join(", ")} of ${product} (API ${API_VERSIONS[product]}); nothing was sent`,
            fix: "The audit never changes an account: make changes with the stack (pulumi up) or in the console.",
            retryable: false,
        });
    }
}
