export { assessCompliance, type ComplianceFinding, type ComplianceReport } from "./assessCompliance";
export type { Acceptance, ComplianceStatus, Control, ControlIds } from "./control";
export { ALL_CONTROLS } from "./controls";
export type { Evidence, GroupEvidence, KeyEvidence, PolicyEvidence, SecretEvidence } from "./evidence";
