/** The report: one model of what a preview or an audit found, and its renderers (text, Mermaid, HTML). */
export {
    RECIPIENTS_DRAWN_PER_GROUP,
    driftView,
    graphView,
    groupsDepthFirst,
    organizationNames,
    recipientAccess,
    recipientKind,
    reportModel,
    verdictOf,
    verdictOfMessage,
} from "./model";
export type {
    DriftMark,
    DriftView,
    Grant,
    GraphView,
    GraphViewOptions,
    GroupView,
    ItemView,
    JudgedBy,
    KeyView,
    Level,
    OwnerView,
    PlanResource,
    ReadsView,
    RecipientAccess,
    RecipientKind,
    RecipientView,
    ReportInput,
    ReportModel,
    RoleView,
    ShareView,
    Verdict,
    VerdictContext,
} from "./model";
export { SUBJECTS_SHOWN, encryptionWords, groupLabel, groupVerdicts, renderMapText, renderVerdictsText, subjectOf, verdictMessage } from "./text";
export type { TextOptions } from "./text";
export { renderMermaid } from "./mermaid";
export type { MermaidOptions } from "./mermaid";
export { CONTENT_SECURITY_POLICY, renderHtml } from "./html";
