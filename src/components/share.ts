/** The owner side common to SharedSnapshot and SharedImage: the intent of the arguments and the grant resources. */
import * as pulumi from "@pulumi/pulumi";
import * as resourcemanager from "@pulumi/alicloud/resourcemanager";
import * as ecs from "@pulumi/alicloud/ecs";
import { isAccountId, resourceSharingTargetId } from "../alibaba/ids";
import { KINDS, RESOURCE_SHARING_TYPE, ResourceKind } from "../alibaba/names";
import { Encryption, GrantMethod, Located, ShareIntent, at, partialShareIntent } from "../intent/model";
import { judge, judgeWith, rules } from "../rules/registry";
import { resourceIdFormat } from "../rules/targets";
import { Finding, RuleContext } from "../rules/types";
import { childSuffix, componentSubject, failOnErrorsOf, firstRecipientArgument, known, recipientPathOf, targetsOf, ShareTargetsArgs, throwIfInvalid } from "./common";
import { EncryptedShareRole, EncryptedShareRoleArgs, checkShareRole } from "./encryptedShareRole";
import { accountKey } from "../graph/accounts";
import { ACKNOWLEDGED_TAG, ACKNOWLEDGED_VALUE, ENCRYPTED_TAG, ENCRYPTED_VALUE } from "../graph/declarations";
import { roleFragment, shareFragment } from "./fragments";
import { Fragment, RELATIONAL_SHARE_RULES, addFragment, childScope, componentOrigin, findingsOfFragment, programRoleComponents, scopeOf, shareEncryptionInProgram } from "./programGraph";
import { ownerAccountOrCaller, providerAccountFact, providerAccountNow, providerRegion } from "./provider";

/** Arguments common to the share components. */
export interface ShareArgs extends ShareTargetsArgs {
    /**
     * The customer-managed KMS key the shared resources are encrypted with. Present means encrypted: the share role
     * is created with grants on exactly this key (unless `createShareRole` is false).
     */
    kmsKeyId?: pulumi.Input<string>;
    /** The region of `kmsKeyId`. Defaults to the share's region. */
    kmsKeyRegion?: pulumi.Input<string>;
    /**
     * Declares the resources are encrypted with the service (default) key. Such resources cannot be shared (C8, C20):
     * the component fails and says to copy them with a customer-managed key. Defaults to false.
     */
    serviceKeyEncrypted?: boolean;
    /**
     * Whether to create the share role (`EncryptedShareRole`) when `kmsKeyId` is given. Set false when the role is
     * managed elsewhere, for example one role for several shares of the same kind. Defaults to true.
     */
    createShareRole?: boolean;
    /**
     * The account that owns the resources. Defaults to the provider's account (`getCallerIdentity`). When the provider
     * names an account (its `accountId`, or the stack config `alicloud:accountId`), it must be that one.
     */
    ownerAccountId?: pulumi.Input<string>;
    /**
     * The region of the resources, where they are shared. The component's resources are created there: through the
     * provider passed in (whose region must be this one), else the default provider when this is the stack's
     * `alicloud:region`, else a provider of this region (one per region per program, with the stack's `alicloud:`
     * credentials). Defaults to the provider's region.
     */
    region?: pulumi.Input<string>;
    /** The resource share's name, 1 to 50 letters, digits, `.`, `_`, `-` (C28). Defaults to the component's name, cleaned. */
    shareName?: string;
    /**
     * Requires every account of `accountIds` to be a member of the owner's resource directory: the share then does not
     * allow external targets (C30) and members accept automatically (C13). Members are the accounts of the stack config
     * `alicloud-sharing:resourceDirectoryAccountIds` (which the policy pack takes too); an account not listed there is
     * refused. Defaults to false: the share keeps external targets off when every account is a listed member, and
     * allows them otherwise (those accounts must accept the invitation within 7 days).
     */
    accountsInResourceDirectory?: boolean;
    /**
     * Confirms that sharing unencrypted resources is intended: every sharee gets all their data (C23, C33). Required
     * `true` to share an unencrypted image; without it an unencrypted snapshot share is a warning. Tags the resource
     * share `alicloud-sharing-unencrypted-data: acknowledged`, which the policy pack reads. Defaults to false.
     */
    unencryptedDataAcknowledged?: boolean;
    /** Declares the resources were shared with this account by another one: they cannot be shared on (C10, C16). Defaults to false. */
    sharedWithThisAccount?: boolean;
    /**
     * Protects the share resources from deletion: removing a share cuts sharees off (C15), so it should take a
     * deliberate `protect: false` first. Defaults to true.
     */
    protect?: boolean;
}

/** The values of a share, each known or not (undefined): from the arguments at construction, resolved at deploy time. */
export interface ShareValues {
    readonly resourceIds: readonly (string | undefined)[];
    readonly region: string | undefined;
    /** The region of the provider passed to the component, when one was passed and `region` was given. */
    readonly providerRegion?: string;
    readonly ownerAccountId: string | undefined;
    readonly kmsKeyId: string | undefined;
    readonly kmsKeyRegion: string | undefined;
    readonly copyKeyIds: Readonly<Record<string, string | undefined>>;
}

/** The extra facts of an image share. */
export interface ImageShareFacts {
    readonly method: string | undefined;
    readonly copyToRegions: readonly string[];
    readonly unencryptedDataAcknowledged: boolean;
    readonly derivedFromPaidImage: boolean;
}

/** The values of the arguments that are known now. */
export function knownValues(resourceIds: readonly pulumi.Input<string>[], args: ShareArgs, copyKeyIds: Record<string, pulumi.Input<string>> = {}): ShareValues {
    return {
        resourceIds: resourceIds.map((id) => known(id)),
        region: known(args.region),
        ownerAccountId: known(args.ownerAccountId),
        kmsKeyId: known(args.kmsKeyId),
        kmsKeyRegion: known(args.kmsKeyRegion),
        copyKeyIds: Object.fromEntries(Object.entries(copyKeyIds).map(([r, k]) => [r, known(k)])),
    };
}

/** The values once every input is resolved, at deploy time. */
export function resolvedValues(
    resourceIds: readonly pulumi.Input<string>[],
    owner: pulumi.Output<string>,
    region: pulumi.Output<string>,
    args: ShareArgs,
    copyKeyIds: Record<string, pulumi.Input<string>> = {},
    explicitRegion?: pulumi.Output<string>,
): pulumi.Output<ShareValues> {
    const copyRegions = Object.keys(copyKeyIds);
    const ids: pulumi.Output<string[]> = pulumi.all([...resourceIds]);
    const copyKeys: pulumi.Output<string[]> = pulumi.all(copyRegions.map((r) => copyKeyIds[r]));
    return pulumi
        .all([ids, owner, region, pulumi.output(args.kmsKeyId), pulumi.output(args.kmsKeyRegion), copyKeys, explicitRegion ?? pulumi.output(undefined)])
        .apply(([resolvedIds, ownerAccountId, regionId, kmsKeyId, kmsKeyRegion, copyKeys, actualRegion]): ShareValues => ({
            resourceIds: resolvedIds,
            region: regionId,
            providerRegion: actualRegion,
            ownerAccountId,
            kmsKeyId,
            kmsKeyRegion,
            copyKeyIds: Object.fromEntries(copyRegions.map((r, i) => [r, copyKeys[i]])),
        }));
}

/** Findings in the registry's order of their rules (stable within a rule). */
function inRuleOrder(findings: readonly Finding[]): Finding[] {
    const order = new Map(rules.map((r, i) => [r.id, i]));
    return [...findings].sort((a, b) => (order.get(a.ruleId) ?? 0) - (order.get(b.ruleId) ?? 0));
}

/** Removes findings reported twice (the same rule, place and message). */
export function distinct(findings: readonly Finding[]): Finding[] {
    const seen = new Set<string>();
    return findings.filter((f) => {
        const key = `${f.ruleId}|${f.path}|${f.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
    });
}

/**
 * Whether the resource share allows external targets (C30): not when the caller requires directory members, nor when
 * every account it targets is a listed member; otherwise yes.
 */
export function allowsExternalTargets(accounts: readonly string[], args: ShareArgs, context: RuleContext): boolean {
    if (accounts.length === 0 || args.accountsInResourceDirectory === true) {
        return false;
    }
    const members = new Set(context.resourceDirectoryAccountIds ?? []);
    return !accounts.every((a) => members.has(a));
}

/** The account targets that go through the resource share (every one, unless images are granted by permission). */
function sharedAccounts(args: ShareArgs, method: string | undefined): string[] {
    return method === "imagePermission" ? [] : targetsOf(args).map((t) => t.value).filter(isAccountId);
}

/** The share intent of a component's arguments and values. */
export function shareIntent(kind: ResourceKind, args: ShareArgs, values: ShareValues, context: RuleContext, image?: ImageShareFacts): ShareIntent {
    const resourcePath = KINDS[kind].component.idsArgument;
    const encryption: Encryption = args.serviceKeyEncrypted
        ? { kind: "serviceKey", path: "serviceKeyEncrypted" }
        : args.kmsKeyId !== undefined
          ? { kind: "customerKey", keyId: at("kmsKeyId", values.kmsKeyId), keyRegion: at("kmsKeyRegion", values.kmsKeyRegion ?? values.region) }
          : { kind: "none" };
    return {
        kind,
        resources: values.resourceIds.map((id, i) => at(`${resourcePath}[${i}]`, id)),
        region: at("region", values.region),
        providerRegion: at("provider", values.providerRegion),
        ownerAccountId: at("ownerAccountId", values.ownerAccountId),
        targets: targetsOf(args),
        encryption,
        method: at("method", image?.method ?? "resourceShare"),
        shareName: at("shareName", args.shareName),
        resourceType: at("resourceType", RESOURCE_SHARING_TYPE[kind]),
        copyToRegions: (image?.copyToRegions ?? []).map((r, i) => at(`copyToRegions[${i}]`, r)),
        copyKeyIds: Object.fromEntries(Object.entries(values.copyKeyIds).map(([r, k]) => [r, at(`copyKmsKeyIds.${r}`, k)])) as Record<string, Located<string>>,
        unencryptedDataAcknowledged: args.unencryptedDataAcknowledged === true,
        sharedWithThisAccount: at("sharedWithThisAccount", args.sharedWithThisAccount === true),
        derivedFromPaidImage: image?.derivedFromPaidImage ?? false,
        allowExternalTargets:
            image?.method === "imagePermission" ? undefined : at("accountsInResourceDirectory", allowsExternalTargets(sharedAccounts(args, image?.method), args, context)),
    };
}

/** One region's grants: what is shared there and how. */
export interface GrantPlan {
    readonly kind: ResourceKind;
    /** Prefix of the children's names: `${name}` in the source region, `${name}-${region}` elsewhere. */
    readonly prefix: string;
    /** The ids to share, each with the suffix its children are named by. */
    readonly resources: readonly { readonly id: pulumi.Input<string>; readonly suffix: string }[];
    readonly args: ShareArgs;
    readonly method: GrantMethod;
    readonly shareName: pulumi.Input<string>;
    /** Known only when the share's checks pass: the resource share waits for it. */
    readonly gate: pulumi.Input<undefined>;
    readonly dependsOn: pulumi.Input<pulumi.Resource[]>;
    readonly provider?: pulumi.ProviderResource;
    readonly context: RuleContext;
}

/** The ids created by `createGrants`. */
export interface Grants {
    /** The resource share, when one is used. */
    readonly resourceShareId?: pulumi.Output<string>;
}

/**
 * Creates the grants of one region. With a resource share: one `ResourceShare`, one `SharedResource` per
 * resource and one `SharedTarget` per recipient, never the inline lists (C29). With image permissions: one
 * `ImageSharePermission` per image and account; directory and folder recipients still go through a resource share.
 */
export function createGrants(parent: pulumi.Resource, plan: GrantPlan): Grants {
    const { args, prefix } = plan;
    const protect = args.protect ?? true;
    const opts: pulumi.CustomResourceOptions = { parent, protect, dependsOn: plan.dependsOn, provider: plan.provider };
    const targets = targetsOf(args).map((t) => t.value as string);
    const accounts = targets.filter(isAccountId);
    const byPermission = plan.method === "imagePermission" ? accounts : [];
    const bySharing = targets.filter((t) => !byPermission.includes(t));

    for (const resource of plan.resources) {
        for (const account of byPermission) {
            new ecs.ImageSharePermission(`${prefix}-permission-${resource.suffix}-${account}`, { imageId: resource.id, accountId: account }, opts);
        }
    }
    if (bySharing.length === 0) {
        return {};
    }
    const external = allowsExternalTargets(bySharing.filter(isAccountId), args, plan.context);
    // What the owner declares, where the pack reads it: unencrypted data fit to share (C23, C33), or a customer-managed key.
    const acknowledged = args.unencryptedDataAcknowledged === true && args.kmsKeyId === undefined && args.serviceKeyEncrypted !== true;
    const encrypted = args.kmsKeyId !== undefined && args.serviceKeyEncrypted !== true;
    const tags: Record<string, string> | undefined = acknowledged ? { [ACKNOWLEDGED_TAG]: ACKNOWLEDGED_VALUE } : encrypted ? { [ENCRYPTED_TAG]: ENCRYPTED_VALUE } : undefined;
    // The share's checks gate it through an input no rule reads, so nothing waits on them but the share.
    const share = new resourcemanager.ResourceShare(
        `${prefix}-share`,
        { resourceShareName: plan.shareName, allowExternalTargets: external, resourceGroupId: plan.gate, ...(tags === undefined ? {} : { tags }) },
        opts,
    );
    for (const resource of plan.resources) {
        new resourcemanager.SharedResource(
            `${prefix}-${plan.kind}-${resource.suffix}`,
            { resourceShareId: share.id, resourceId: resource.id, resourceType: RESOURCE_SHARING_TYPE[plan.kind] },
            opts,
        );
    }
    bySharing.forEach((target, i) => {
        const targetId = resourceSharingTargetId(target);
        new resourcemanager.SharedTarget(`${prefix}-target-${childSuffix(targetId, i)}`, { resourceShareId: share.id, targetId }, opts);
    });
    return { resourceShareId: share.id };
}

/** The suffix each resource's children are named by: its id when known, else its position. */
export function resourceSuffixes(ids: readonly pulumi.Input<string>[]): string[] {
    return ids.map((id, i) => childSuffix(known(id), i));
}

/** What a share component shares, as its arguments say. */
export interface ShareSpec {
    /** The component's class name, for messages. */
    readonly type: string;
    readonly kind: ResourceKind;
    readonly resourceIds: readonly pulumi.Input<string>[];
    readonly args: ShareArgs;
    readonly facts?: ImageShareFacts;
    /** The key of each copy region (images). */
    readonly copyKeyIds?: Record<string, pulumi.Input<string>>;
    /** How the program's graph reads the share's encryption when it differs from the arguments (a share with no key in an account whose role ECS would use). */
    readonly encryptionInProgram?: Encryption;
    /** Whether the caller passed a provider, and the copy regions with a provider of their own (images). */
    readonly copyRegionProviders?: { readonly explicit: boolean; readonly given: readonly string[] };
}

/** The share role's arguments, when the component creates one. */
export function shareRoleArgs(spec: ShareSpec): EncryptedShareRoleArgs | undefined {
    const { args } = spec;
    if (args.kmsKeyId === undefined || args.serviceKeyEncrypted || args.createShareRole === false) {
        return undefined;
    }
    const copyKeys = spec.copyKeyIds ?? {};
    return {
        resourceKind: spec.kind,
        kmsKeyId: args.kmsKeyId,
        kmsKeyRegion: args.kmsKeyRegion,
        additionalKmsKeys: (spec.facts?.copyToRegions ?? []).filter((r) => copyKeys[r] !== undefined).map((r) => ({ keyId: copyKeys[r], region: r })),
        ownerAccountId: args.ownerAccountId,
        accountIds: args.accountIds,
        resourceDirectoryId: args.resourceDirectoryId,
        folderPaths: args.folderPaths,
    };
}

/**
 * A share role finding's path, as the share component's argument it comes from: a finding on the role's trust that names
 * recipients points at the first of them in the share's arguments (`accountIds[1]`, `folderPaths[0]`), else at the first
 * argument that gives recipients.
 */
function sharePathOf(finding: Finding, spec: ShareSpec): string {
    const { path } = finding;
    const copy = /^additionalKmsKeys\[(\d+)\]\.(keyId|region)$/.exec(path);
    if (copy !== undefined && copy !== null) {
        const region = (spec.facts?.copyToRegions ?? []).filter((r) => spec.copyKeyIds?.[r] !== undefined)[Number(copy[1])];
        return region === undefined ? "copyKmsKeyIds" : `copyKmsKeyIds.${region}`;
    }
    if (path === "trustPolicy" || path === "accountIds") {
        // The role's trust is rendered from the recipients.
        return recipientPathOf(spec.args, finding.values) ?? (path === "trustPolicy" ? firstRecipientArgument(spec.args) : path);
    }
    return path === "resourceKind" ? "createShareRole" : path === "accountId" ? "accountIds" : path;
}

/**
 * Before anything is registered: judges the share, its role (when it creates one) and its relations with the program's
 * other components (limits counted per snapshot, image and account across components; the share role of its account
 * trusting its recipients and granted its key, when it uses one it does not create), on the values known now, and
 * throws every error at once. Once accepted, the share (and its role) are part of the program's graph. Returns the
 * warnings to log and the role's arguments.
 */
export function checkShare(name: string, spec: ShareSpec, opts: pulumi.ComponentResourceOptions, context: RuleContext) {
    const roleArgs = shareRoleArgs(spec);
    const role = roleArgs === undefined ? undefined : checkShareRole(roleArgs, context);
    const scope = scopeOf(opts.parent);
    const fragment = fragmentOf(name, scope, spec, roleArgs, role?.plan);
    const declared = shareIntent(spec.kind, spec.args, knownValues(spec.resourceIds, spec.args, spec.copyKeyIds), context, spec.facts);
    // A share with no key in an account whose share role ECS would use is encrypted with that role's key, as the pack reads it.
    const inProgram = declared.encryption.kind === "none" ? shareEncryptionInProgram(fragment, `${componentOrigin(spec.type, name, scope).urn}#share`) : undefined;
    const encryption: Encryption = inProgram?.because === "roleName" ? { kind: "customerKey", keyId: at<string>("kmsKeyId", undefined), keyRegion: at<string>("kmsKeyRegion", undefined) } : declared.encryption;
    // The account the provider names, when known now (the default provider's, from the stack config): compared with the owner given.
    const intent = { ...declared, encryption, copyRegionProviders: spec.copyRegionProviders, providerAccount: providerAccountNow(opts) };
    const single: Finding[] = [
        ...judge("share", intent, context).filter((f) => !RELATIONAL_SHARE_RULES.includes(f.ruleId)),
        ...(role?.findings ?? []).map((f) => ({ ...f, path: sharePathOf(f, spec) })),
    ];
    // What only the program shows; a rule the share already broke on its own is not said twice.
    const relational = findingsOfFragment(fragment, context)
        .map((f) => ({ ...f, path: sharePathOf(f, spec) }))
        .filter((r) => !single.some((f) => f.ruleId === r.ruleId));
    const warnings = throwIfInvalid(spec.type, name, inRuleOrder(distinct([...single, ...relational])), opts);
    addFragment(fragment);
    return { warnings, roleArgs, encryptionInProgram: inProgram?.because === "roleName" ? encryption : undefined };
}

/** The share's nodes and, when it creates its role, the role's (under the name the role component will have). */
function fragmentOf(name: string, scope: string, spec: ShareSpec, roleArgs: EncryptedShareRoleArgs | undefined, plan: ShareRolePlanOf | undefined): Fragment {
    // The role the share creates is its child: its scope is the share's.
    const roleScope = childScope(scope, spec.type, name);
    const share = shareFragment(
        {
            type: spec.type,
            kind: spec.kind,
            resourceIds: spec.resourceIds,
            args: spec.args,
            method: spec.facts?.method,
            copyToRegions: spec.facts?.copyToRegions,
            copyKeyIds: spec.copyKeyIds,
            ...(roleArgs === undefined || plan === undefined ? {} : { roleNode: `${componentOrigin("EncryptedShareRole", `${name}-share-role`, roleScope).urn}#role` }),
        },
        name,
        scope,
    );
    if (roleArgs === undefined || plan === undefined) {
        return share;
    }
    const role = roleFragment(`${name}-share-role`, roleScope, roleArgs, plan, known(spec.args.region));
    return { ...share, roles: role.roles, policies: role.policies, attachments: role.attachments };
}

type ShareRolePlanOf = NonNullable<ReturnType<typeof checkShareRole>["plan"]>;

/**
 * Once the component is registered: the owner and region (given or the provider's), the resource ids checked again
 * when every value is known (a failure fails the component's resources), and the share role when one is created.
 * `explicitProvider` says the caller passed the provider: its region is then compared with `region`.
 */
export function prepareShare(
    component: pulumi.ComponentResource,
    name: string,
    spec: ShareSpec,
    context: RuleContext,
    roleArgs: EncryptedShareRoleArgs | undefined,
    explicitProvider: boolean,
) {
    const owner = ownerAccountOrCaller(spec.args.ownerAccountId, component);
    const actual = explicitProvider || spec.args.region === undefined ? providerRegion(component) : undefined;
    const region = spec.args.region !== undefined ? pulumi.output(spec.args.region) : actual!;
    const subject = componentSubject(spec.type, name);
    // The account the provider names, compared with the owner given, once the program has built its components.
    const providerAccount = providerAccountFact(component, spec.args.ownerAccountId);
    const secretInputs = [spec.resourceIds, spec.args.ownerAccountId, spec.args.region, spec.args.kmsKeyId, spec.args.kmsKeyRegion, spec.copyKeyIds, providerAccount.apply((a) => a?.accountId)];
    // The share's checks once every value is known, but for the resources' ids: what gates the share and its grants is
    // known at preview, and waits on no resource of the stack but the key's and the provider's.
    const plainIds = spec.resourceIds.map((id) => known(id));
    const values = resolvedValues([], owner, region, spec.args, spec.copyKeyIds, explicitProvider && spec.args.region !== undefined ? actual : undefined);
    const validated = pulumi.all([values, providerAccount]).apply(async ([values, account]) => {
        const intent = { ...shareIntent(spec.kind, spec.args, { ...values, resourceIds: plainIds }, context, spec.facts), providerAccount: account };
        // As judged at construction: encrypted by the role of its account when the program's graph says so.
        const judged = spec.encryptionInProgram === undefined ? intent : { ...intent, encryption: spec.encryptionInProgram };
        await failOnErrorsOf(judge("share", judged, context), component, subject, secretInputs);
        return values;
    });
    const gate = validated.apply(() => undefined);
    // Each id checked on its own when known, and gated by the share's checks: each grant depends on its own resource.
    const idPath = KINDS[spec.kind].component.idsArgument;
    const resourceIds = spec.resourceIds.map((id, i) => {
        // A plain id was judged with the arguments, before anything was registered (a bad one refused the component):
        // it waits for the share's checks only. One output, not four: a share of 1,000 snapshots makes 1,000 of them.
        if (typeof id === "string") {
            return gate.apply(() => id);
        }
        // Checked apart from the share's checks, so both failures are reported; the grant waits for both.
        const checkedId = pulumi.output(id).apply(async (value) => {
            const intent = partialShareIntent(spec.kind, { resources: [at(`${idPath}[${i}]`, value)] });
            await failOnErrorsOf(judgeWith([resourceIdFormat], intent, context), component, subject, secretInputs);
            return value;
        });
        return pulumi.all([checkedId, gate]).apply(([value]) => value);
    });
    const shareRole =
        roleArgs === undefined
            ? undefined
            : new EncryptedShareRole(`${name}-share-role`, { ...roleArgs, kmsKeyRegion: spec.args.kmsKeyRegion ?? region }, { parent: component });
    const usesProgramRole = spec.args.createShareRole === false && spec.args.kmsKeyId !== undefined && !spec.args.serviceKeyEncrypted;
    return {
        region,
        resourceIds,
        /** Known only when the checks pass (at preview, unless the key is made in the stack): the share waits for it. */
        checked: gate,
        shareRole,
        dependsOn: shareRole ? [shareRole.attachment] : usesProgramRole ? programRoleDependency(spec) : [],
    };
}

/**
 * A share that does not create its role waits for the role a component of the program creates in its account (so
 * the role is usable first, and the pack sees the share as encrypted): found now, or once the program has built its
 * components (a role declared after the share).
 */
function programRoleDependency(spec: ShareSpec): pulumi.Input<pulumi.Resource[]> {
    const account = accountKey(known(spec.args.ownerAccountId));
    const now = programRoleComponents(account, spec.kind);
    if (now.length > 0) {
        return now.map((r) => r.attachment);
    }
    return new Promise<pulumi.Resource[]>((resolve) => setImmediate(() => resolve(programRoleComponents(account, spec.kind).map((r) => r.attachment))));
}
