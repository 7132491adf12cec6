/**
 * RAM policy documents for sharing, as plain objects with a stable key order, rendered to compact
 * JSON. The shapes follow Alibaba Cloud's documentation for the share roles (C9, C21) and the
 * sharee's access (C25).
 */
import { kmsKeyArn, kmsKeyListArn } from "../alibaba/arn";
import {
    ANY_ECS_SERVICE_PRINCIPAL,
    KMS_KEY_ACTIONS,
    KMS_LIST_ACTION,
    RD_ID_CONDITION_KEY,
    RD_PATH_CONDITION_KEY,
    SHAREE_DESCRIBE_ACTIONS,
    SHAREE_LAUNCH_ACTIONS,
    ecsServicePrincipal,
} from "../alibaba/names";

export const POLICY_VERSION = "1";
const ASSUME_ROLE = "sts:AssumeRole";

export interface TrustStatement {
    readonly Action: string;
    readonly Effect: "Allow";
    readonly Principal: { readonly Service: string | readonly string[] };
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}
export interface TrustPolicyDocument {
    readonly Statement: readonly TrustStatement[];
    readonly Version: string;
}
export interface PermissionStatement {
    readonly Action: string | readonly string[];
    readonly Resource: string | readonly string[];
    readonly Effect: "Allow";
}
export interface PermissionPolicyDocument {
    readonly Version: string;
    readonly Statement: readonly PermissionStatement[];
}

/** Who a share role trusts. */
export interface TrustedPrincipals {
    /** Sharee account ids: one service principal `<uid>@ecs.aliyuncs.com` each. */
    readonly accountIds?: readonly string[];
    /** A whole resource directory (`rd-…`). */
    readonly resourceDirectoryId?: string;
    /** Folder paths (`rd-…/r-…/fd-…`): every account under each folder. */
    readonly folderPaths?: readonly string[];
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
const oneOrMany = (values: readonly string[]): string | readonly string[] => (values.length === 1 ? values[0] : values);

/** The trust statement for individual accounts (C9, C21 first shape). */
export function trustStatementForAccounts(accountIds: readonly string[]): TrustStatement {
    return {
        Action: ASSUME_ROLE,
        Effect: "Allow",
        Principal: { Service: unique(accountIds).map(ecsServicePrincipal) },
    };
}

/** The trust statement for every member of a resource directory (C21 second shape). */
export function trustStatementForDirectory(resourceDirectoryId: string): TrustStatement {
    return {
        Action: ASSUME_ROLE,
        Effect: "Allow",
        Principal: { Service: ANY_ECS_SERVICE_PRINCIPAL },
        Condition: { StringEquals: { [RD_ID_CONDITION_KEY]: resourceDirectoryId } },
    };
}

/**
 * The `sts:ServiceOwnerRDPath` pattern of a folder path: the path followed by `*`, so the folder
 * and everything below it match (C21 third shape).
 */
export function folderPathPattern(folderPath: string): string {
    return `${folderPath}*`;
}

/** The trust statement for the members of one or more folders (C21 third shape). */
export function trustStatementForFolders(folderPaths: readonly string[]): TrustStatement {
    return {
        Action: ASSUME_ROLE,
        Effect: "Allow",
        Principal: { Service: ANY_ECS_SERVICE_PRINCIPAL },
        Condition: { StringLike: { [RD_PATH_CONDITION_KEY]: oneOrMany(unique(folderPaths).map(folderPathPattern)) } },
    };
}

/**
 * The trust policy of a share role: one statement per shape of target (accounts, directory,
 * folders), in that order. Throws when there is no principal at all: a role nobody can assume
 * is a mistake.
 */
export function trustPolicy(principals: TrustedPrincipals): TrustPolicyDocument {
    const statements: TrustStatement[] = [];
    if (principals.accountIds && principals.accountIds.length > 0) {
        statements.push(trustStatementForAccounts(principals.accountIds));
    }
    if (principals.resourceDirectoryId !== undefined) {
        statements.push(trustStatementForDirectory(principals.resourceDirectoryId));
    }
    if (principals.folderPaths && principals.folderPaths.length > 0) {
        statements.push(trustStatementForFolders(principals.folderPaths));
    }
    if (statements.length === 0) {
        throw new Error("A share role's trust policy needs at least one account, directory or folder path.");
    }
    return { Statement: statements, Version: POLICY_VERSION };
}

/** A KMS key a share role may use: its id, its region and the account that owns it. */
export interface KmsKeyRef {
    readonly keyId: string;
    readonly region: string;
    readonly ownerAccountId: string;
}

/**
 * The minimal KMS policy of a share role (C9, C21, S2): `kms:List*` on each key list, and the six
 * key actions on exactly the given keys. For one key it is the documented shape exactly.
 */
export function kmsSharePolicy(keys: readonly KmsKeyRef[]): PermissionPolicyDocument {
    if (keys.length === 0) {
        throw new Error("A KMS share policy needs at least one key.");
    }
    const listArns = unique(keys.map((k) => kmsKeyListArn(k.region, k.ownerAccountId)));
    const keyArns = unique(keys.map((k) => kmsKeyArn(k.region, k.ownerAccountId, k.keyId)));
    return {
        Version: POLICY_VERSION,
        Statement: [
            { Action: KMS_LIST_ACTION, Resource: oneOrMany(listArns), Effect: "Allow" },
            { Action: [...KMS_KEY_ACTIONS], Resource: oneOrMany(keyArns), Effect: "Allow" },
        ],
    };
}

/**
 * The policy a sharee attaches to its RAM users so they can see shared images and, unless
 * `allowLaunch` is false, launch instances from them (C25).
 */
export function shareeImageAccessPolicy(allowLaunch = true): PermissionPolicyDocument {
    const actions = allowLaunch ? [...SHAREE_DESCRIBE_ACTIONS, ...SHAREE_LAUNCH_ACTIONS] : [...SHAREE_DESCRIBE_ACTIONS];
    return { Version: POLICY_VERSION, Statement: [{ Action: actions, Resource: "*", Effect: "Allow" }] };
}

/** Renders a document as compact JSON; key order is the order the builders wrote. */
export function renderDocument(document: TrustPolicyDocument | PermissionPolicyDocument): string {
    return JSON.stringify(document);
}

/** The size RAM counts against its document limit (C32): UTF-8 bytes of the rendered JSON. */
export function documentBytes(rendered: string): number {
    return Buffer.byteLength(rendered, "utf8");
}
