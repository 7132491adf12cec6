import * as pulumi from "@pulumi/pulumi";
import { ArgumentSpecs, SHARE_ARGUMENTS, readArguments } from "./arguments";
import { asArray, checkedOrCollected, contextFromConfig, defaultShareName, logWarnings, registerRefused, throwIfInvalid, typeToken } from "./common";
import { ShareArgs, ShareSpec, checkShare, createGrants, prepareShare, resourceSuffixes } from "./share";
import { placement } from "./provider";
import { SnapshotCopy } from "./shareeSteps";

export interface SharedSnapshotArgs extends ShareArgs {
    /** The snapshots to share (`s-…`), at least one, each once, all in the share's region. */
    snapshotIds: pulumi.Input<string>[];
    /**
     * With `serviceKeyEncrypted` and `kmsKeyId`: copy each snapshot with the customer-managed key first
     * (SnapshotCopy, waiting until accomplished) and share the copies, instead of refusing (C8). Defaults to false.
     */
    copyServiceKeySnapshots?: boolean;
}

const TYPE = "SharedSnapshot";

/** The declared form of each argument (S8). */
const ARGUMENTS: ArgumentSpecs = {
    ...SHARE_ARGUMENTS,
    snapshotIds: { shape: "inputStringList", required: true, plainBecause: "each snapshot becomes a resource of its own" },
    copyServiceKeySnapshots: { shape: "boolean", when: true, requires: ["serviceKeyEncrypted", "kmsKeyId"], because: "it copies snapshots on the service key with the customer-managed key" },
};

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
        // Read once: everything below reads the copy (a getter or a changing value cannot build half a component).
        const read = readArguments(args, ARGUMENTS);
        args = read.args;
        const checked = checkedOrCollected(() => {
            throwIfInvalid(TYPE, name, read.findings, opts);
            const context = contextFromConfig();
            // Snapshots on the service key, copied first with the customer-managed key: what is shared is the copies.
            const copying = args.serviceKeyEncrypted === true && args.copyServiceKeySnapshots === true && args.kmsKeyId !== undefined;
            const shared: SharedSnapshotArgs = copying ? { ...args, serviceKeyEncrypted: false } : args;
            const snapshotIds = asArray(args.snapshotIds);
            const spec: ShareSpec = { type: TYPE, kind: "snapshot", resourceIds: snapshotIds, args: shared };
            return { context, copying, snapshotIds, spec, ...checkShare(name, spec, opts, context), place: placement(name, args.region, opts) };
        });
        if (checked === undefined) {
            super(typeToken(TYPE), name, {}, opts);
            registerRefused(this, ["resourceShareId", "shareRoleName"]);
            return;
        }
        const { context, copying, snapshotIds, warnings, roleArgs, place } = checked;
        const spec: ShareSpec = { ...checked.spec, encryptionInProgram: checked.encryptionInProgram };
        super(typeToken(TYPE), name, {}, place.opts);
        logWarnings(warnings, this);

        const suffixes = resourceSuffixes(snapshotIds);
        const copies = copying
            ? snapshotIds.map(
                  (sourceSnapshotId, i) =>
                      new SnapshotCopy(`${name}-copy-${suffixes[i]}`, { sourceSnapshotId, kmsKeyId: args.kmsKeyId!, sourceRegionId: args.region, destinationRegionId: args.region }, { parent: this }),
              )
            : [];
        const share = prepareShare(this, name, copying ? { ...spec, resourceIds: copies.map((c) => c.snapshotId) } : spec, context, roleArgs, place.explicit !== undefined);
        const grants = createGrants(this, {
            kind: "snapshot",
            prefix: name,
            // A copy's id comes straight from its copy, so each shared resource depends on its own copy only.
            resources: (copying ? copies.map((c) => c.snapshotId) : share.resourceIds).map((id, i) => ({ id, suffix: suffixes[i] })),
            args,
            method: "resourceShare",
            shareName: args.shareName ?? defaultShareName(name),
            gate: share.checked,
            dependsOn: share.dependsOn,
            context,
        });
        this.resourceShareId = grants.resourceShareId!;
        this.shareRoleName = share.shareRole ? share.shareRole.roleName : pulumi.output(undefined);
        this.registerOutputs({ resourceShareId: this.resourceShareId, shareRoleName: this.shareRoleName });
    }
}
