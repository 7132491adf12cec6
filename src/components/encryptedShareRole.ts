import * as pulumi from "@pulumi/pulumi";
import { ArgumentSpecs, TARGET_ARGUMENTS, readArguments } from "./arguments";
import * as ram from "@pulumi/alicloud/ram";
import { kmsKeyArn } from "../alibaba/arn";
import { principalKind } from "../alibaba/ids";
import { CUSTOM_POLICY_TYPE, RESOURCE_KINDS, ResourceKind, SHARE_ROLE_NAME } from "../alibaba/names";
import { KeyRef, ProviderAccountFact, RoleIntent, ShareIntent, at, partialShareIntent } from "../intent/model";
import { KmsKeyRef, TrustedPrincipals, kmsSharePolicy, renderDocument, trustPolicy } from "../ram/documents";
import { judge, judgeWith } from "../rules/registry";
import { kmsKeyFormat, noDuplicates, ownerAccountFormat, ownerAccountMatchesProvider, principalFormat, regionFormat } from "../rules/targets";
import { Finding, RuleContext } from "../rules/types";
import { roleFragment } from "./fragments";
import { addFragment, componentOrigin, findingsOfFragment, findingsOnceBuilt, registerRoleComponent, scopeOf } from "./programGraph";
import { ShareTargetsArgs, asArray, checkedOrCollected, componentSubject, contextFromConfig, failOnErrorsOf, firstRecipientArgument, known, logWarnings, recipientPathOf, registerRefused, targetsOf, throwIfInvalid, typeToken } from "./common";
import { ownerAccountOrCaller, providerAccountFact, providerAccountNow, regionOrProviders } from "./provider";

/** A further key the share role may use, with the region it lives in. */
export interface ShareRoleKeyArgs {
    /** The id of a customer-managed KMS key (`key-…`). */
    keyId: pulumi.Input<string>;
    /** The region of the key. */
    region: pulumi.Input<string>;
}

export interface EncryptedShareRoleArgs extends ShareTargetsArgs {
    /**
     * What the role shares: `"snapshot"` (the role is `AliyunECSShareEncryptSnapshotDefaultRole`, C9) or `"image"`
     * (`AliyunECSShareEncryptImageDefaultRole`, C21). The name is fixed by Alibaba Cloud (S4).
     */
    resourceKind: string;
    /** The customer-managed KMS key the shared snapshots or images are encrypted with. */
    kmsKeyId: pulumi.Input<string>;
    /** The region of `kmsKeyId`. Defaults to the provider's region. */
    kmsKeyRegion?: pulumi.Input<string>;
    /** More keys the same role must use: one account has one role of each name, shared by all its encrypted shares of a kind. */
    additionalKmsKeys?: ShareRoleKeyArgs[];
    /**
     * The account that owns the keys and the role. Defaults to the provider's account (`getCallerIdentity`). When the
     * provider names an account (its `accountId`, or the stack config `alicloud:accountId`), it must be that one.
     */
    ownerAccountId?: pulumi.Input<string>;
    /** The name of the custom KMS policy. Defaults to `alicloud-sharing-<kind>-kms`. */
    policyName?: string;
    /** The role's maximum session duration in seconds, 3,600 to 43,200 (C32). Defaults to 3,600. */
    maxSessionDuration?: number;
}

const TYPE = "EncryptedShareRole";

/** The declared form of each argument (S8). */
const ARGUMENTS: ArgumentSpecs = {
    ...TARGET_ARGUMENTS,
    resourceKind: { shape: "string", required: true, plainBecause: "it decides the role's well-known name" },
    kmsKeyId: { shape: "inputString", required: true },
    kmsKeyRegion: { shape: "inputString" },
    additionalKmsKeys: { shape: { list: { keyId: { shape: "inputString", required: true }, region: { shape: "inputString", required: true } } } },
    ownerAccountId: { shape: "inputString" },
    policyName: { shape: "string", plainBecause: "it names the policy" },
    maxSessionDuration: { shape: "integer" },
};
const DEFAULT_SESSION_SECONDS = 3600;

/** What `planShareRole` decides before anything is registered. */
export interface ShareRolePlan {
    readonly kind: ResourceKind;
    readonly roleName: string;
    /** The trust policy, rendered: it depends only on the recipients, which are plain values. */
    readonly trustPolicy: string;
    readonly policyName: string;
    readonly maxSessionDuration: number;
    /** The KMS policy, rendered when the keys and the owner are plain values (else at deploy time). */
    readonly kmsPolicy?: string;
    readonly warnings: readonly Finding[];
}

/** The role intent for given, possibly unknown, keys and owner. */
export function roleIntent(
    kind: ResourceKind | undefined,
    resourceKind: unknown,
    trust: string | undefined,
    targets: readonly string[],
    keys: readonly { keyId?: string; region?: string }[] | undefined,
    ownerAccountId: string | undefined,
    maxSessionDuration: unknown,
    otherDefinitions: readonly string[] = [],
): RoleIntent {
    const concrete =
        ownerAccountId !== undefined && keys !== undefined && keys.every((k) => k.keyId !== undefined && k.region !== undefined)
            ? (keys as KmsKeyRef[]).map((k) => ({ ...k, ownerAccountId }))
            : undefined;
    const kmsPolicy = at("kmsKeyId", concrete === undefined ? undefined : renderDocument(kmsSharePolicy(concrete)));
    return {
        kind,
        resourceKind: at("resourceKind", typeof resourceKind === "string" ? resourceKind : JSON.stringify(resourceKind ?? null)),
        roleName: at("resourceKind", kind === undefined ? undefined : SHARE_ROLE_NAME[kind]),
        trustPolicy: at("trustPolicy", trust),
        kmsPolicy,
        attachedKmsPolicies: concrete === undefined ? undefined : [kmsPolicy],
        expectedTargets: targets,
        expectedKeyArns: concrete?.map((k) => kmsKeyArn(k.region, k.ownerAccountId, k.keyId)),
        maxSessionDuration: at("maxSessionDuration", maxSessionDuration as number),
        otherDefinitions,
    };
}

/** The located keys of the arguments, first `kmsKeyId` then `additionalKmsKeys`. */
function keysOf(args: EncryptedShareRoleArgs): KeyRef[] {
    return [
        { keyId: at<string>("kmsKeyId", known(args.kmsKeyId)), region: at<string>("kmsKeyRegion", known(args.kmsKeyRegion)) },
        ...asArray(args.additionalKmsKeys).map((k, i) => ({
            keyId: at<string>(`additionalKmsKeys[${i}].keyId`, known(k?.keyId)),
            region: at<string>(`additionalKmsKeys[${i}].region`, known(k?.region)),
        })),
    ];
}

/** The share intent of the role's recipients, keys and owner: what the id and recipient rules judge. */
function recipientsIntent(kind: ResourceKind, args: EncryptedShareRoleArgs, keys: readonly KeyRef[], ownerAccountId: string | undefined, providerAccount?: ProviderAccountFact): ShareIntent {
    const [first, ...more] = keys;
    return partialShareIntent(kind, {
        targets: targetsOf(args),
        encryption: { kind: "customerKey", keyId: first.keyId, keyRegion: first.region },
        additionalKeys: more,
        ownerAccountId: at("ownerAccountId", ownerAccountId),
        ...(providerAccount === undefined ? {} : { providerAccount }),
    });
}

/** Recipients, as principals of each kind, in argument order. */
function trustedPrincipals(targets: readonly string[]): TrustedPrincipals {
    return {
        accountIds: targets.filter((t) => principalKind(t) === "account"),
        resourceDirectoryId: targets.find((t) => principalKind(t) === "directory"),
        folderPaths: targets.filter((t) => principalKind(t) === "folderPath"),
    };
}

/** The registry rules of a share intent that a share role's arguments can break. */
const ROLE_ARGUMENT_RULES = [principalFormat, noDuplicates, kmsKeyFormat, regionFormat, ownerAccountFormat, ownerAccountMatchesProvider];

/**
 * Checks the arguments of a share role and decides its documents, before anything is registered. Returns every
 * finding; the plan is there only when no finding is an error. The relations with the program's other components
 * (one role per name and account) are judged on its graph fragment (`roleFragment`).
 */
export function checkShareRole(args: EncryptedShareRoleArgs, context: RuleContext, providerAccount?: ProviderAccountFact): { findings: Finding[]; plan?: Omit<ShareRolePlan, "warnings"> } {
    const kind = RESOURCE_KINDS.find((k) => k === args.resourceKind);
    const keys = keysOf(args);
    const findings: Finding[] = judgeWith(ROLE_ARGUMENT_RULES, recipientsIntent(kind ?? "snapshot", args, keys, known(args.ownerAccountId), providerAccount), context);
    // The trust is rendered from the recipients that are principals; the others are already refused (C1) and would only repeat it.
    const targets = targetsOf(args).map((t) => t.value).filter((v): v is string => principalKind(v) !== undefined);
    const maxSessionDuration = args.maxSessionDuration ?? DEFAULT_SESSION_SECONDS;
    const roleName = kind === undefined ? undefined : SHARE_ROLE_NAME[kind];
    const trust = targets.length > 0 ? renderDocument(trustPolicy(trustedPrincipals(targets))) : undefined;
    const intent = roleIntent(
        kind,
        args.resourceKind,
        trust,
        targets,
        keys.map((k) => ({ keyId: k.keyId.value, region: k.region.value })),
        known(args.ownerAccountId),
        maxSessionDuration,
    );
    // Recipients given but none of them a principal: C1 says so; "trusts nobody" would only repeat it.
    const noneValid = targets.length === 0 && targetsOf(args).length > 0;
    findings.push(...judge("role", noneValid ? { ...intent, expectedTargets: undefined } : intent, context));
    if (kind === undefined || roleName === undefined || trust === undefined || findings.some((f) => f.severity === "error")) {
        return { findings };
    }
    const kmsPolicy = intent.kmsPolicy?.value as string | undefined;
    return { findings, plan: { kind, roleName, trustPolicy: trust, policyName: args.policyName ?? `alicloud-sharing-${kind}-kms`, maxSessionDuration, ...(kmsPolicy === undefined ? {} : { kmsPolicy }) } };
}

/**
 * A finding's path as the role's argument: one on the trust it renders from the recipients points at the first recipient
 * it names in the arguments (`accountIds[1]`, `folderPaths[0]`), else at the first argument that gives recipients (a
 * recipient the role lacks is added there).
 */
function rolePathOf(finding: Finding, args: EncryptedShareRoleArgs): string {
    return finding.path === "trustPolicy" ? (recipientPathOf(args, finding.values) ?? firstRecipientArgument(args)) : finding.path;
}

/**
 * `checkShareRole` and the role's relations with the program's other components, throwing every error at once as an
 * `InputPropertiesError`; once accepted, the role is part of the program's graph.
 */
export function planShareRole(name: string, args: EncryptedShareRoleArgs, opts: pulumi.ComponentResourceOptions, context: RuleContext): ShareRolePlan & { relational: Finding[] } {
    // The account the provider names, when known now (the default provider's, from the stack config): compared with the owner given.
    const { findings, plan } = checkShareRole(args, context, providerAccountNow(opts));
    const fragment = plan === undefined ? undefined : roleFragment(name, scopeOf(opts.parent), args, plan);
    const relational = fragment === undefined ? [] : findingsOfFragment(fragment, context);
    const all = [...findings, ...relational.filter((r) => !findings.some((f) => f.ruleId === r.ruleId))].map((f) => ({ ...f, path: rolePathOf(f, args) }));
    const warnings = throwIfInvalid(TYPE, name, all, opts);
    addFragment(fragment!);
    return { ...plan!, warnings, relational };
}

/**
 * The RAM role ECS assumes to share encrypted snapshots or images (C9, C21): the role with its exact
 * well-known name (S4), a trust policy for exactly the recipients (S1, S5), and a custom policy with the
 * minimal KMS grants on exactly the given keys (S2), attached to the role.
 *
 * One account holds one role of each name: make one `EncryptedShareRole` per kind and pass
 * `createShareRole: false` to the shares that use it, or let a single share create it.
 */
export class EncryptedShareRole extends pulumi.ComponentResource {
    /** The role's name: `AliyunECSShareEncryptSnapshotDefaultRole` or `AliyunECSShareEncryptImageDefaultRole`. */
    public readonly roleName!: pulumi.Output<string>;
    /** The name of the custom KMS policy attached to the role. */
    public readonly policyName!: pulumi.Output<string>;
    /** The role's trust policy, as rendered JSON. */
    public readonly trustPolicy!: pulumi.Output<string>;
    /** The KMS policy, as rendered JSON. */
    public readonly kmsPolicy!: pulumi.Output<string>;
    /** The attachment of the policy to the role: shares depend on it, so they never run before the role is usable. */
    public readonly attachment!: ram.RolePolicyAttachment;

    constructor(name: string, args: EncryptedShareRoleArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Read once: everything below reads the copy (a getter or a changing value cannot build half a component).
        const read = readArguments(args, ARGUMENTS);
        args = read.args;
        const checked = checkedOrCollected(() => {
            throwIfInvalid(TYPE, name, read.findings, opts);
            const context = contextFromConfig();
            return { context, plan: planShareRole(name, args, opts, context) };
        });
        super(typeToken(TYPE), name, {}, opts);
        if (checked === undefined) {
            registerRefused(this, ["roleName", "policyName", "trustPolicy", "kmsPolicy"]);
            return;
        }
        const { context, plan } = checked;
        logWarnings(plan.warnings, this);

        const owner = ownerAccountOrCaller(args.ownerAccountId, this);
        const providerAccount = providerAccountFact(this, args.ownerAccountId);
        const keyRegion = regionOrProviders(args.kmsKeyRegion, this);
        const keys = pulumi.all([
            pulumi.all([args.kmsKeyId, keyRegion]),
            ...asArray(args.additionalKmsKeys).map((k) => pulumi.all([k.keyId, k.region])),
        ]);
        const targets = targetsOf(args).map((t) => t.value as string);
        const subject = componentSubject(TYPE, name);
        const secretInputs = [args.ownerAccountId, args.kmsKeyId, args.kmsKeyRegion, asArray(args.additionalKmsKeys).map((k) => [k.keyId, k.region]), providerAccount.apply((a) => a?.accountId)];
        // The owner given and the account the provider names, once known: the role, its policy and attachment wait for it.
        const accountChecked = pulumi.all([owner, providerAccount]).apply(async ([ownerAccountId, account]) => {
            await failOnErrorsOf(judgeWith([ownerAccountMatchesProvider], partialShareIntent(plan.kind, { ownerAccountId: at("ownerAccountId", ownerAccountId), providerAccount: account }), context), this, subject, secretInputs);
            return undefined;
        });
        // Once the program has built its components: what the whole program says of this role (a recipient no share uses).
        const onceBuilt = findingsOnceBuilt(componentOrigin(TYPE, name, scopeOf(opts.parent)), context, plan.relational).then((found) =>
            failOnErrorsOf(found.map((f) => ({ ...f, path: rolePathOf(f, args) })), this, subject, secretInputs),
        );
        const kmsPolicy = pulumi.all([owner, keys, onceBuilt, accountChecked]).apply(async ([ownerAccountId, pairs]) => {
            const resolved = pairs.map(([keyId, region]) => ({ keyId, region }));
            const located: KeyRef[] = resolved.map((k, i) => ({
                keyId: at<string>(i === 0 ? "kmsKeyId" : `additionalKmsKeys[${i - 1}].keyId`, k.keyId),
                region: at<string>(i === 0 ? "kmsKeyRegion" : `additionalKmsKeys[${i - 1}].region`, k.region),
            }));
            await failOnErrorsOf(judgeWith(ROLE_ARGUMENT_RULES, recipientsIntent(plan.kind, args, located, ownerAccountId), context), this, subject, secretInputs);
            const intent = roleIntent(plan.kind, args.resourceKind, plan.trustPolicy, targets, resolved, ownerAccountId, plan.maxSessionDuration);
            await failOnErrorsOf(judge("role", intent, context).map((f) => ({ ...f, path: rolePathOf(f, args) })), this, subject, secretInputs);
            return intent.kmsPolicy!.value as string;
        });

        const role = new ram.Role(
            `${name}-role`,
            {
                roleName: plan.roleName,
                assumeRolePolicyDocument: plan.trustPolicy,
                description: accountChecked.apply(() => `Lets ECS share encrypted ${plan.kind}s with the trusted accounts (managed by ${typeToken(TYPE)}).`),
                maxSessionDuration: plan.maxSessionDuration,
            },
            { parent: this },
        );
        const policy = new ram.Policy(
            `${name}-kms-policy`,
            {
                policyName: plan.policyName,
                policyDocument: kmsPolicy,
                description: `The KMS grants ECS needs to share encrypted ${plan.kind}s (managed by ${typeToken(TYPE)}).`,
            },
            { parent: this },
        );
        this.attachment = new ram.RolePolicyAttachment(
            `${name}-attachment`,
            { roleName: role.roleName, policyName: policy.policyName, policyType: CUSTOM_POLICY_TYPE },
            { parent: this },
        );
        // Shares of this account that do not create a role wait for this one.
        registerRoleComponent(`${componentOrigin(TYPE, name, scopeOf(opts.parent)).urn}#role`, this);
        this.roleName = role.roleName;
        this.policyName = policy.policyName;
        this.trustPolicy = pulumi.output(plan.trustPolicy);
        this.kmsPolicy = kmsPolicy;
        this.registerOutputs({ roleName: this.roleName, policyName: this.policyName, trustPolicy: this.trustPolicy, kmsPolicy: this.kmsPolicy });
    }
}
