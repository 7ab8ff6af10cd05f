export { assessCompliance, type ComplianceFinding, type ComplianceReport } from "./assessCompliance";
export type { Acceptance, ComplianceStatus, Control, ControlIds } from "./control";
export { ALL_CONTROLS } from "./controls";
export type { Evidence, GroupEvidence, KeyEvidence, PolicyEvidence, SecretEvidence } from "./evidence";
export { renderComplianceReport } from "./report/human";
export { toComplianceJson, type ComplianceJson } from "./report/json";
export { buildComplianceJunitXml } from "./report/junit";
export { complianceCountsLine, complianceVerdict, countFindings } from "./report/summary";
