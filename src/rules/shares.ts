/** Rules on the resource share itself (C28, C31). */
import { SHARE_NAME } from "../alibaba/limits";
import { RESOURCE_SHARING_TYPE } from "../alibaba/names";
import { defineRule } from "./types";

export const shareName = defineRule({
    id: "share-name",
    constraints: ["C28"],
    severity: "error",
    title: "Resource share names are 1 to 50 letters, digits, `.`, `_`, `-`",
    description: "Resource Sharing rejects any other name at deploy time.",
    subject: "share",
    check: (intent) => {
        const name = intent.shareName;
        return name?.value !== undefined && !SHARE_NAME.test(name.value)
            ? [{ path: name.path, message: `share name ${JSON.stringify(name.value)} is not 1 to 50 letters, digits, ".", "_" or "-".`, fix: "Choose a name of that form." }]
            : [];
    },
});

export const resourceType = defineRule({
    id: "resource-type",
    constraints: ["C31"],
    severity: "error",
    title: "Resource types are exactly `Snapshot` or `Image`",
    description: "Resource Sharing's type strings are exact and case-sensitive, and the provider no longer checks them: a typo fails only at deploy time.",
    subject: "share",
    check: (intent) => {
        const given = intent.resourceType;
        const expected = RESOURCE_SHARING_TYPE[intent.kind];
        return given?.value !== undefined && given.value !== expected
            ? [{ path: given.path, message: `resource type ${JSON.stringify(given.value)} is not ${JSON.stringify(expected)}.`, fix: `Use "${expected}".` }]
            : [];
    },
});
