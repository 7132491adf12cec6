/**
 * alicloud-sharing: Pulumi components that share Alibaba Cloud ECS snapshots and custom images across accounts
 * and resource directories, correct by construction; and the pure pieces they are built from.
 */
export * from "./components";
export * as alibaba from "./alibaba";
export * as ram from "./ram";
export * as intent from "./intent";
export { rules, ruleById, judge, ruleContext, formatFinding } from "./rules";
export type { Rule, AnyRule, Finding, Problem, Severity, ConstraintId, RuleContext, SubjectKind } from "./rules";
export {
    trustPolicy,
    trustStatementForAccounts,
    trustStatementForDirectory,
    trustStatementForFolders,
    kmsSharePolicy,
    shareeImageAccessPolicy,
    renderDocument,
} from "./ram";
