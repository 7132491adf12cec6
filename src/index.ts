/**
 * alicloud-sharing: Pulumi components that share Alibaba Cloud ECS snapshots and custom images across accounts
 * and resource directories, correct by construction; and the pure pieces they are built from.
 */
export * from "./components";
export * as alibaba from "./alibaba";
export * as ram from "./ram";
export * as intent from "./intent";
export { rules, ruleById, rulesJudgedBy, judge, outcomes, ruleContext, formatFinding, findingsOfError, COMPONENT_NAMES, POLICY_KINDS, POLICY_NAMES, SHARED_SETTINGS } from "./rules";
export type { Rule, AnyRule, Finding, FindingSubject, Outcome, Problem, Severity, ConstraintId, RuleContext, SubjectKind, Enforcement, ComponentName, PolicyName } from "./rules";
export { CONSTRAINTS, CONSTRAINT_IDS } from "./alibaba/constraints";
export {
    trustPolicy,
    trustStatementForAccounts,
    trustStatementForDirectory,
    trustStatementForFolders,
    kmsSharePolicy,
    shareeImageAccessPolicy,
    renderDocument,
} from "./ram";
