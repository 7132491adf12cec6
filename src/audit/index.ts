/**
 * The audit: what an account really shares today, read only through Alibaba's official SDK packages, judged by the
 * policy pack's rules as if it were a stack, drawn as the report model's sharing graph, and compared with what a stack declares.
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
export { auditReport, notInEffectText, organizationReport } from "./report";
