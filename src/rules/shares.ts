/** Rules on the resource share itself (C28, C31). */
import { isAccountId } from "../alibaba/ids";
import { SHARE_NAME } from "../alibaba/limits";
import { RESOURCE_SHARING_TYPE } from "../alibaba/names";
import { SHARE_COMPONENTS } from "./enforcement";
import { defineRule, quoteValue } from "./types";
import { knownTargets } from "./targets";

export const shareName = defineRule({
    id: "share-name",
    constraints: ["C28"],
    severity: "error",
    title: "Resource share names have the form Resource Sharing accepts",
    description: "A resource share name is 1 to 50 letters, digits, `.`, `_` and `-`; Resource Sharing rejects any other name at deploy time.",
    subject: "share",
    enforcement: { components: SHARE_COMPONENTS, policies: ["sharing-resource-share"] },
    reads: (intent) => (intent.shareName === undefined ? [] : [intent.shareName]),
    check: (intent) => {
        const name = intent.shareName;
        return name?.value !== undefined && !(typeof name.value === "string" && SHARE_NAME.test(name.value))
            ? [{ path: name.path, message: `share name ${quoteValue(name.value)} is not 1 to 50 letters, digits, ".", "_" or "-".`, fix: "Choose a name of that form." }]
            : [];
    },
});

export const resourceType = defineRule({
    id: "resource-type",
    constraints: ["C31"],
    severity: "error",
    title: "Resource types are exactly `Snapshot` or `Image`",
    description:
        "Resource Sharing's type strings are exact and case-sensitive, and the provider no longer checks them: a typo, or no type at all, " +
        "fails only at deploy time. A shared snapshot is `Snapshot`, a shared image `Image`.",
    subject: "share",
    enforcement: { components: { reason: "the components always give Resource Sharing the exact type string of the resource kind" }, policies: ["sharing-resource-share"] },
    reads: (intent) => (intent.resourceType === undefined ? [] : [intent.resourceType]),
    check: (intent) => {
        const given = intent.resourceType;
        const expected = RESOURCE_SHARING_TYPE[intent.kind];
        if (given === undefined || given.value === undefined) {
            return [];
        }
        return given.value !== expected
            ? [{
                  path: given.path,
                  message: given.value === "" ? "no resource type is given." : `resource type ${quoteValue(given.value)} is not ${quoteValue(expected)}.`,
                  fix: `Use "${expected}", exactly.`,
              }]
            : [];
    },
});

export const externalTargets = defineRule({
    id: "external-targets",
    constraints: ["C30", "C13"],
    severity: "error",
    title: "Accounts outside the resource directory are shared with only when the share allows external targets",
    description:
        "A resource share with external targets off takes only members of the owner's resource directory; any other account fails at deploy " +
        "time. Members are the accounts listed in `resourceDirectoryAccountIds` (stack config and the pack's config alike): a share to an " +
        "account not listed there must allow external targets, and that account must then accept the invitation (C13).",
    subject: "share",
    enforcement: { components: SHARE_COMPONENTS, policies: ["sharing-share-contents"] },
    reads: (intent) => (intent.allowExternalTargets !== undefined && knownTargets(intent).some((t) => isAccountId(t.value)) ? [intent.allowExternalTargets] : []),
    check: (intent, { resourceDirectoryAccountIds }) => {
        if (intent.allowExternalTargets?.value !== false) {
            return [];
        }
        const members = new Set(resourceDirectoryAccountIds ?? []);
        return knownTargets(intent)
            .filter((t) => isAccountId(t.value) && !members.has(t.value))
            .map((t) => ({
                path: t.path,
                message: `account ${t.value} is not a known member of the owner's resource directory, and the share does not allow external targets.`,
                fix: "Allow external targets on the share (leave `accountsInResourceDirectory` off), or list the account in `resourceDirectoryAccountIds` if it is a member.",
            }));
    },
});
