import * as pulumi from "@pulumi/pulumi";
import { judge } from "../rules/registry";
import { Finding } from "../rules/types";
import { asArray, contextFromConfig, defaultShareName, failOnErrors, logWarnings, throwIfInvalid, typeToken } from "./common";
import { EncryptedShareRole, EncryptedShareRoleArgs, checkShareRole } from "./encryptedShareRole";
import { ownerAccountOrCaller, regionOrProviders } from "./provider";
import { ShareArgs, createGrants, distinct, knownValues, resolvedValues, resourceSuffixes, shareIntent } from "./share";

export interface SharedSnapshotArgs extends ShareArgs {
    /** The snapshots to share (`s-…`), at least one, each once, all in the share's region. */
    snapshotIds: pulumi.Input<string>[];
}

const TYPE = "SharedSnapshot";

/**
 * Shares ECS snapshots with accounts, a resource directory or folders through Resource Sharing (C5): one
 * resource share, one shared resource (type `Snapshot`) per snapshot and one shared target per recipient.
 * With `kmsKeyId`, the snapshots are encrypted with that customer-managed key and the share role
 * `AliyunECSShareEncryptSnapshotDefaultRole` is created first (C9); every share resource waits for it.
 *
 * Every argument is checked before anything is registered, against C1–C8, C10, C28, C31, C32, S1, S2, S4 and S5;
 * values only known at deploy time are checked then. Shares are protected from deletion by default (C15).
 */
export class SharedSnapshot extends pulumi.ComponentResource {
    /** The id of the resource share. */
    public readonly resourceShareId!: pulumi.Output<string>;
    /** The share role's name when the snapshots are encrypted and the role is created here; undefined otherwise. */
    public readonly shareRoleName!: pulumi.Output<string | undefined>;
    /** The share role, when created here. */
    public readonly shareRole?: EncryptedShareRole;

    constructor(name: string, args: SharedSnapshotArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const context = contextFromConfig();
        const snapshotIds = asArray(args.snapshotIds);
        const roleName = `${name}-share-role`;
        const roleArgs = shareRoleArgs(args, "snapshot");
        const findings: Finding[] = [
            ...judge("share", shareIntent("snapshot", args, knownValues(snapshotIds, args)), context),
            ...(roleArgs === undefined ? [] : checkShareRole(`EncryptedShareRole "${roleName}"`, roleArgs, opts, context).findings),
        ];
        const warnings = throwIfInvalid(TYPE, name, distinct(findings));
        super(typeToken(TYPE), name, {}, opts);
        logWarnings(warnings, this);

        const owner = ownerAccountOrCaller(args.ownerAccountId, this);
        const region = regionOrProviders(args.region, this);
        const validated = resolvedValues(snapshotIds, owner, region, args).apply((values) => {
            failOnErrors(judge("share", shareIntent("snapshot", args, values), context), this);
            return values;
        });

        if (roleArgs !== undefined) {
            this.shareRole = new EncryptedShareRole(
                roleName,
                { ...roleArgs, ownerAccountId: owner, kmsKeyRegion: args.kmsKeyRegion ?? region },
                { parent: this },
            );
        }
        const suffixes = resourceSuffixes(snapshotIds);
        const grants = createGrants(this, {
            kind: "snapshot",
            prefix: name,
            resources: snapshotIds.map((_, i) => ({ id: validated.apply((v) => v.resourceIds[i] as string), suffix: suffixes[i] })),
            args,
            method: "resourceShare",
            shareName: validated.apply(() => args.shareName ?? defaultShareName(name)),
            dependsOn: this.shareRole ? [this.shareRole.attachment] : [],
        });
        this.resourceShareId = grants.resourceShareId!;
        this.shareRoleName = this.shareRole ? this.shareRole.roleName : pulumi.output(undefined);
        this.registerOutputs({ resourceShareId: this.resourceShareId, shareRoleName: this.shareRoleName });
    }
}

/** The share role's arguments, when the component creates one. */
export function shareRoleArgs(
    args: ShareArgs,
    kind: string,
    additionalKmsKeys?: EncryptedShareRoleArgs["additionalKmsKeys"],
): EncryptedShareRoleArgs | undefined {
    if (args.kmsKeyId === undefined || args.serviceKeyEncrypted || args.createShareRole === false) {
        return undefined;
    }
    return {
        resourceKind: kind,
        kmsKeyId: args.kmsKeyId,
        kmsKeyRegion: args.kmsKeyRegion,
        additionalKmsKeys,
        ownerAccountId: args.ownerAccountId,
        accountIds: args.accountIds,
        resourceDirectoryId: args.resourceDirectoryId,
        folderPaths: args.folderPaths,
    };
}
