import * as pulumi from "@pulumi/pulumi";
import { asArray, contextFromConfig, defaultShareName, logWarnings, typeToken } from "./common";
import { ShareArgs, ShareSpec, checkShare, createGrants, prepareShare, resourceSuffixes } from "./share";

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

    constructor(name: string, args: SharedSnapshotArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const context = contextFromConfig();
        const spec: ShareSpec = { type: TYPE, kind: "snapshot", resourceIds: asArray(args.snapshotIds), args };
        const { warnings, roleArgs } = checkShare(name, spec, opts, context);
        super(typeToken(TYPE), name, {}, opts);
        logWarnings(warnings, this);

        const share = prepareShare(this, name, spec, context, roleArgs);
        const suffixes = resourceSuffixes(spec.resourceIds);
        const grants = createGrants(this, {
            kind: "snapshot",
            prefix: name,
            resources: share.resourceIds.map((id, i) => ({ id, suffix: suffixes[i] })),
            args,
            method: "resourceShare",
            shareName: share.checked.apply(() => args.shareName ?? defaultShareName(name)),
            dependsOn: share.dependsOn,
        });
        this.resourceShareId = grants.resourceShareId!;
        this.shareRoleName = share.shareRole ? share.shareRole.roleName : pulumi.output(undefined);
        this.registerOutputs({ resourceShareId: this.resourceShareId, shareRoleName: this.shareRoleName });
    }
}
