/** The sharee's side: a disk from a shared snapshot, and access to shared images for RAM identities. */
import * as pulumi from "@pulumi/pulumi";
import { ArgumentSpecs, readArguments } from "./arguments";
import { argumentsWellFormed } from "../rules/arguments";
import * as ecs from "@pulumi/alicloud/ecs";
import * as ram from "@pulumi/alicloud/ram";
import { CUSTOM_POLICY_TYPE, SHARED_SNAPSHOT_TAG, sharedSnapshotTagValue } from "../alibaba/names";
import { AccessIntent, DiskIntent, at, partialShareIntent } from "../intent/model";
import { renderDocument, shareeImageAccessPolicy } from "../ram/documents";
import { findingsOf, judge, judgeWith } from "../rules/registry";
import { kmsKeyFormat, resourceIdFormat } from "../rules/targets";
import { Finding, RuleContext } from "../rules/types";
import { asArray, checkedOrCollected, componentSubject, contextFromConfig, failOnErrorsOf, known, logWarnings, registerRefused, throwIfInvalid, typeToken } from "./common";
import { SnapshotCopy } from "./shareeSteps";

export interface SharedSnapshotDiskArgs {
    /** The snapshot shared with this account (`s-…`). */
    snapshotId: pulumi.Input<string>;
    /** The zone of the disk. */
    zoneId: pulumi.Input<string>;
    /** The customer-managed key of this (the sharee's) account to encrypt the disk with; required when the snapshot is encrypted (C11). */
    kmsKeyId?: pulumi.Input<string>;
    /** The disk category: of the ESSD family when the snapshot is encrypted (C11). Defaults to `cloud_essd`. */
    category?: string;
    /** The key the shared snapshot is encrypted with, when known: the disk's key must differ from it (C11). */
    sourceKmsKeyId?: pulumi.Input<string>;
    /** Whether the shared snapshot is encrypted. Defaults to true: the C11 checks apply unless told otherwise. */
    sourceEncrypted?: boolean;
    /** The disk size in GiB. Defaults to the snapshot's size. */
    size?: pulumi.Input<number>;
    /** The disk's name. */
    diskName?: pulumi.Input<string>;
    /** The ESSD performance level (`PL0`…`PL3`). Defaults to the provider's default. */
    performanceLevel?: pulumi.Input<string>;
    /**
     * Copy the shared snapshot with `kmsKeyId` first (SnapshotCopy) and make the disk from the copy: then the disk
     * may be of any category (C11 allows only ESSD from the shared snapshot itself). Defaults to false.
     */
    copyFirst?: boolean;
}

const DISK_TYPE = "SharedSnapshotDisk";

/** The declared form of each argument (S8). */
const DISK_ARGUMENTS: ArgumentSpecs = {
    snapshotId: { shape: "inputString", required: true },
    zoneId: { shape: "inputString", required: true },
    kmsKeyId: { shape: "inputString" },
    category: { shape: "string", plainBecause: "it is checked against the ESSD family before the disk is made" },
    sourceKmsKeyId: { shape: "inputString" },
    sourceEncrypted: { shape: "boolean" },
    size: { shape: "inputNumber" },
    diskName: { shape: "inputString" },
    performanceLevel: { shape: "inputString" },
    copyFirst: { shape: "boolean" },
};
const DEFAULT_CATEGORY = "cloud_essd";

/** The disk intent of the arguments, with the given (known or resolved) values. */
export function diskIntent(args: SharedSnapshotDiskArgs, values: { snapshotId?: string; kmsKeyId?: string; sourceKmsKeyId?: string }): DiskIntent {
    return {
        snapshotId: at("snapshotId", values.snapshotId),
        category: at("category", args.category ?? DEFAULT_CATEGORY),
        sourceEncrypted: at("sourceEncrypted", args.sourceEncrypted !== false),
        sourceKmsKeyId: args.sourceKmsKeyId === undefined ? undefined : at("sourceKmsKeyId", values.sourceKmsKeyId),
        encrypted: at("encrypted", args.sourceEncrypted === false && args.kmsKeyId === undefined ? false : true),
        kmsKeyId: args.kmsKeyId === undefined ? undefined : at("kmsKeyId", values.kmsKeyId),
    };
}

/** The C11 findings plus the id formats of a disk's values (the registry's id rules, on the snapshot and the two keys). */
function diskFindings(args: SharedSnapshotDiskArgs, values: { snapshotId?: string; kmsKeyId?: string; sourceKmsKeyId?: string }, context: RuleContext): Finding[] {
    const intent = diskIntent(args, values);
    const keys = [intent.kmsKeyId, intent.sourceKmsKeyId].filter((k) => k !== undefined).map((keyId) => ({ keyId: keyId!, region: at<string>("region", undefined) }));
    return [
        ...judgeWith([resourceIdFormat, kmsKeyFormat], partialShareIntent("snapshot", { resources: [intent.snapshotId], additionalKeys: keys }), context),
        ...judge("disk", intent, context),
    ];
}

/**
 * A disk of this account made from a snapshot another account shared with it. When the snapshot is encrypted
 * (the default assumption) the disk is of the ESSD family and encrypted with this account's own key, not the
 * source's (C11); otherwise copy the snapshot first.
 */
export class SharedSnapshotDisk extends pulumi.ComponentResource {
    /** The id of the disk. */
    public readonly diskId!: pulumi.Output<string>;

    constructor(name: string, args: SharedSnapshotDiskArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Read once: everything below reads the copy (a getter or a changing value cannot build half a component).
        const read = readArguments(args, DISK_ARGUMENTS);
        args = read.args;
        const valid = checkedOrCollected(() => {
            throwIfInvalid(DISK_TYPE, name, read.findings, opts);
            const copyFirst = args.copyFirst === true;
            // Copying first asks of the copy what C11 asks of the disk (an own key, not the source's), but not the category.
            const judged: SharedSnapshotDiskArgs = copyFirst ? { ...args, category: undefined } : args;
            const context = contextFromConfig();
            const values = { snapshotId: known(args.snapshotId), kmsKeyId: known(args.kmsKeyId), sourceKmsKeyId: known(args.sourceKmsKeyId) };
            return { copyFirst, judged, context, warnings: throwIfInvalid(DISK_TYPE, name, diskFindings(judged, values, context), opts) };
        });
        super(typeToken(DISK_TYPE), name, {}, opts);
        if (valid === undefined) {
            registerRefused(this, ["diskId"]);
            return;
        }
        const { copyFirst, judged, context, warnings } = valid;
        logWarnings(warnings, this);
        const subject = componentSubject(DISK_TYPE, name);
        const checked = pulumi.all([pulumi.output(args.snapshotId), pulumi.output(args.kmsKeyId), pulumi.output(args.sourceKmsKeyId)]).apply(async ([snapshotId, kmsKeyId, sourceKmsKeyId]) => {
            await failOnErrorsOf(diskFindings(judged, { snapshotId, kmsKeyId, sourceKmsKeyId }, context), this, subject, [args.snapshotId, args.kmsKeyId, args.sourceKmsKeyId]);
            return snapshotId;
        });
        const source = copyFirst
            ? new SnapshotCopy(`${name}-copy`, { sourceSnapshotId: checked, kmsKeyId: args.kmsKeyId!, sourceKmsKeyId: args.sourceKmsKeyId }, { parent: this }).snapshotId
            : checked;
        const intent = diskIntent(args, {});
        const disk = new ecs.EcsDisk(
            `${name}-disk`,
            {
                zoneId: args.zoneId,
                snapshotId: source,
                category: intent.category.value,
                encrypted: copyFirst ? true : intent.encrypted.value,
                kmsKeyId: args.kmsKeyId,
                size: args.size,
                diskName: args.diskName,
                performanceLevel: args.performanceLevel,
                // Tells the policy pack the snapshot was shared with this account, so C11 is judged on the raw disk too.
                tags: copyFirst ? undefined : { [SHARED_SNAPSHOT_TAG]: sharedSnapshotTagValue(args.sourceEncrypted !== false) },
            },
            { parent: this },
        );
        this.diskId = disk.id;
        this.registerOutputs({ diskId: this.diskId });
    }
}

export interface ShareeImageAccessArgs {
    /** RAM users of this account to grant access to shared images. */
    userNames?: string[];
    /** RAM groups of this account to grant access to shared images. */
    groupNames?: string[];
    /** RAM roles of this account to grant access to shared images. */
    roleNames?: string[];
    /** Grant launching instances from shared images too (`ecs:RunInstances`, `ecs:CreateInstance`), not only seeing them. Defaults to true. */
    allowLaunch?: boolean;
    /** The name of the custom policy. Defaults to `alicloud-sharing-image-access-<name>`, cleaned to what RAM accepts. */
    policyName?: string;
}

const ACCESS_TYPE = "ShareeImageAccess";

/** RAM's policy names: 1 to 128 letters, digits and hyphens. */
const RAM_POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;

/** The declared form of each argument (S8). */
const ACCESS_ARGUMENTS: ArgumentSpecs = {
    userNames: { shape: "stringList", plainBecause: "each identity gets an attachment of its own" },
    groupNames: { shape: "stringList", plainBecause: "each identity gets an attachment of its own" },
    roleNames: { shape: "stringList", plainBecause: "each identity gets an attachment of its own" },
    allowLaunch: { shape: "boolean" },
    policyName: { shape: "string", plainBecause: "it names the policy" },
};

/** The access intent of the arguments. */
export function accessIntent(args: ShareeImageAccessArgs, policyDocument: string): AccessIntent {
    return {
        principals: [
            ...asArray(args.userNames).map((v, i) => at<string>(`userNames[${i}]`, v)),
            ...asArray(args.groupNames).map((v, i) => at<string>(`groupNames[${i}]`, v)),
            ...asArray(args.roleNames).map((v, i) => at<string>(`roleNames[${i}]`, v)),
        ],
        policy: at("policyDocument", policyDocument),
    };
}

/**
 * Lets RAM users, groups and roles of a sharee account see images shared with it and launch instances from them
 * (C25): one custom policy with exactly those actions, attached to each.
 */
export class ShareeImageAccess extends pulumi.ComponentResource {
    /** The name of the custom policy. */
    public readonly policyName!: pulumi.Output<string>;
    /** The policy, as rendered JSON. */
    public readonly policyDocument!: pulumi.Output<string>;

    constructor(name: string, args: ShareeImageAccessArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Read once: everything below reads the copy (a getter or a changing value cannot build half a component).
        const read = readArguments(args, ACCESS_ARGUMENTS);
        args = read.args;
        const checked = checkedOrCollected(() => {
            throwIfInvalid(ACCESS_TYPE, name, read.findings, opts);
            if (args.policyName !== undefined && !RAM_POLICY_NAME.test(args.policyName)) {
                throwIfInvalid(ACCESS_TYPE, name, findingsOf(argumentsWellFormed, [{ path: "policyName", message: `policy name ${JSON.stringify(args.policyName)} is not 1 to 128 letters, digits and hyphens.`, fix: "Choose a name of that form, or leave it out." }]), opts);
            }
            const document = renderDocument(shareeImageAccessPolicy(args.allowLaunch !== false));
            return { document, warnings: throwIfInvalid(ACCESS_TYPE, name, judge("access", accessIntent(args, document), contextFromConfig()), opts) };
        });
        super(typeToken(ACCESS_TYPE), name, {}, opts);
        if (checked === undefined) {
            registerRefused(this, ["policyName", "policyDocument"]);
            return;
        }
        const { document, warnings } = checked;
        logWarnings(warnings, this);
        const policy = new ram.Policy(
            `${name}-policy`,
            {
                policyName: args.policyName ?? `alicloud-sharing-image-access-${name}`.replace(/[^A-Za-z0-9-]/g, "-").slice(0, 128),
                policyDocument: document,
                description: `Lets the attached identities see${args.allowLaunch !== false ? " and launch" : ""} shared ECS images (managed by ${typeToken(ACCESS_TYPE)}).`,
            },
            { parent: this },
        );
        const attach = { policyName: policy.policyName, policyType: CUSTOM_POLICY_TYPE };
        asArray(args.userNames).forEach((userName) => new ram.UserPolicyAttachment(`${name}-user-${userName}`, { ...attach, userName }, { parent: this }));
        asArray(args.groupNames).forEach((groupName) => new ram.GroupPolicyAttachment(`${name}-group-${groupName}`, { ...attach, groupName }, { parent: this }));
        asArray(args.roleNames).forEach((roleName) => new ram.RolePolicyAttachment(`${name}-role-${roleName}`, { ...attach, roleName }, { parent: this }));
        this.policyName = policy.policyName;
        this.policyDocument = pulumi.output(document);
        this.registerOutputs({ policyName: this.policyName, policyDocument: this.policyDocument });
    }
}
