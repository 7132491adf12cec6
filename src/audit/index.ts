/**
 * The audit: what an account really shares today, read only through Alibaba's official SDK packages, judged by the
 * policy pack's rules as if it were a stack, drawn as the sharing map, and compared with what a stack declares.
 */
export * from "./actions";
export { Limiter, RequestLog, auditContext, deadlineError, normalizeRpcError } from "./clients";
export type { AuditContext, ContextOptions, Deadline, ReadProgress } from "./clients";
export * from "./model";
export { readAccount } from "./read";
export { auditUrn, auditView, withDirectoryMembers, withReceivedSnapshots } from "./view";
export type { AuditResource } from "./view";
export * from "./drift";
export * from "./run";
export * from "./render";
export { AUDIT_USAGE, MAP_WITH_SARIF, auditMain, errorLine, parseAuditArgs, runAuditCommand } from "./cli";
export type { AuditArgs, AuditIo } from "./cli";
