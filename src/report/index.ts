/** The report: one model of what a preview or an audit found, and its renderers (text, JSON, SARIF, Mermaid, HTML). */
export {
    RECIPIENTS_DRAWN_PER_GROUP,
    driftView,
    grantedKeyArns,
    graphView,
    groupsDepthFirst,
    levelOf,
    organizationNames,
    recipientAccess,
    recipientKind,
    reportModel,
    verdictLine,
    verdictOf,
    verdictOfMessage,
    verdictOfViolation,
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
    JudgedViolationLike,
    KeyFrom,
    KeyView,
    Level,
    LevelChange,
    OwnerView,
    PlanResource,
    ProgramFiles,
    ReadsView,
    RecipientAccess,
    RecipientKind,
    RecipientView,
    ReportInput,
    ReportModel,
    RoleView,
    RunFailure,
    ShareView,
    SourcePosition,
    Verdict,
    VerdictContext,
} from "./model";
export {
    SUBJECTS_SHOWN,
    driftLine,
    encryptionWords,
    groupLabel,
    groupVerdicts,
    incompleteCounts,
    incompleteNotice,
    renderDriftText,
    renderMapText,
    renderPlanText,
    renderText,
    renderVerdictsText,
    subjectOf,
    verdictMessage,
} from "./text";
export type { TextOptions } from "./text";
export { renderMermaid } from "./mermaid";
export type { MermaidOptions } from "./mermaid";
export { CONTENT_SECURITY_POLICY, renderHtml } from "./html";
export { renderFailureJson, renderJson } from "./json";
export type { JsonOptions } from "./json";
export { DRIFT_RULE, FINGERPRINT_KEY, fingerprintOf, physicalLocationOf, renderFailureSarif, renderSarif, ruleDescriptors, ruleHelpUri } from "./sarif";
export { MAP_KINDS, REPORT_FORMATS, mapGoesWith, renderReport } from "./render";
export type { MapKind, RenderRequest, ReportFormat } from "./render";
