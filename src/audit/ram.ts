/** RAM through Alibaba's official SDK (`@alicloud/ram20150501`), read only: the two share roles, their trust, their attached policies and documents. */
import * as ramModels from "@alicloud/ram20150501";
import { RESOURCE_KINDS, SHARE_ROLE_NAME } from "../alibaba/names";
import { AlibabaApiError, withRetries } from "../sdk/errors";
import { AuditContext, mapAll } from "./clients";
import { LiveAttachedPolicy, LiveRole } from "./model";

/** RAM's answer for a role the account does not have. */
const NO_SUCH_ROLE = "EntityNotExist.Role";

/** One share role by name, with its attached policies; undefined when the account has none of that name. */
export async function readRole(ctx: AuditContext, roleName: string): Promise<LiveRole | undefined> {
    const client = ctx.ram();
    let role: ramModels.GetRoleResponseBodyRole | undefined;
    try {
        role = (await withRetries("GetRole", `role ${roleName}`, ctx.settings, () => client.getRole(new ramModels.GetRoleRequest({ roleName })))).body?.role;
    } catch (e) {
        if (e instanceof AlibabaApiError && e.code === NO_SUCH_ROLE) {
            return undefined;
        }
        throw e;
    }
    if (role === undefined) {
        return undefined;
    }
    const attached = (await withRetries("ListPoliciesForRole", `role ${roleName}`, ctx.settings, () => client.listPoliciesForRole(new ramModels.ListPoliciesForRoleRequest({ roleName })))).body?.policies?.policy ?? [];
    const policies: LiveAttachedPolicy[] = await mapAll(
        attached.filter((p) => typeof p.policyName === "string"),
        async (p) => {
            const base = { name: p.policyName!, type: p.policyType ?? "", defaultVersion: p.defaultVersion };
            if (p.policyType !== "Custom" || p.defaultVersion === undefined) {
                return base;
            }
            const version = await withRetries("GetPolicyVersion", `policy ${p.policyName} ${p.defaultVersion} (attached to ${roleName})`, ctx.settings, () =>
                client.getPolicyVersion(new ramModels.GetPolicyVersionRequest({ policyType: "Custom", policyName: p.policyName, versionId: p.defaultVersion })),
            );
            return { ...base, document: version.body?.policyVersion?.policyDocument };
        },
    );
    return {
        name: role.roleName ?? roleName,
        document: role.assumeRolePolicyDocument ?? "",
        maxSessionDuration: role.maxSessionDuration,
        description: role.description,
        policies: policies.sort((a, b) => `${a.type}/${a.name}`.localeCompare(`${b.type}/${b.name}`)),
    };
}

/** The share roles the account has (of `AliyunECSShareEncryptSnapshotDefaultRole` and `AliyunECSShareEncryptImageDefaultRole`). */
export async function readShareRoles(ctx: AuditContext): Promise<LiveRole[]> {
    const roles = await mapAll(RESOURCE_KINDS, (kind) => readRole(ctx, SHARE_ROLE_NAME[kind]));
    return roles.filter((r): r is LiveRole => r !== undefined);
}
