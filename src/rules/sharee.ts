/** Rules on the sharee's side: access to shared images (C25). */
import { SHAREE_DESCRIBE_ACTIONS, SHAREE_LAUNCH_ACTIONS } from "../alibaba/names";
import { analyzePermissionPolicy } from "../ram/analyze";
import { defineRule, Problem, quoteValue } from "./types";

/** A RAM user, group or role name. */
const RAM_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const SHAREE_ACTIONS = new Set([...SHAREE_DESCRIBE_ACTIONS, ...SHAREE_LAUNCH_ACTIONS]);

export const shareeImageAccess = defineRule({
    id: "sharee-image-access",
    constraints: ["C25"],
    severity: "error",
    title: "A sharee grants its RAM identities exactly what shared images need",
    description:
        "RAM users of a sharee need `ecs:DescribeImages` to see a shared image and `ecs:RunInstances` / `ecs:CreateInstance` to launch from it. " +
        "The grant goes to at least one RAM user, group or role with a valid name, and holds those actions and no others.",
    subject: "access",
    enforcement: {
        components: ["ShareeImageAccess"],
        policies: { reason: "a raw RAM policy does not say it is for shared images; the pack cannot tell it from any other policy of the sharee" },
    },
    check: (access) => {
        const problems: Problem[] = [];
        if (access.principals.length === 0) {
            problems.push({ path: "userNames", message: "no RAM user, group or role is given.", fix: "Give `userNames`, `groupNames` or `roleNames`." });
        }
        for (const p of access.principals) {
            if (p.value !== undefined && !(typeof p.value === "string" && RAM_NAME.test(p.value))) {
                problems.push({ path: p.path, message: `${quoteValue(p.value)} is not a RAM user, group or role name.`, fix: "Give the name as RAM shows it (letters, digits, `.`, `_`, `@`, `-`)." });
            }
        }
        if (access.policy.value !== undefined) {
            const analysis = analyzePermissionPolicy(access.policy.value);
            const extra = [...new Set(analysis.grants.flatMap((g) => g.actions).filter((a) => !SHAREE_ACTIONS.has(a)))];
            const describes = analysis.grants.some((g) => g.actions.includes(SHAREE_DESCRIBE_ACTIONS[0]));
            if (extra.length > 0 || !describes || analysis.problems.length > 0) {
                problems.push({
                    path: access.policy.path,
                    message: `the access policy grants ${extra.length > 0 ? extra.join(", ") : "no extra action"}${describes ? "" : " and lacks ecs:DescribeImages"}.`,
                    fix: "Grant exactly ecs:DescribeImages, and ecs:RunInstances / ecs:CreateInstance to launch (the library's `shareeImageAccessPolicy`).",
                });
            }
        }
        return problems;
    },
});
