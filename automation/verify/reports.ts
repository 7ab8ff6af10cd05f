/** The report renderers alone, for callers that must not load the checks (and with them the AWS SDK). */
export { renderHumanReport, type HumanReportOptions } from "./report/human";
export { toJsonReport, type JsonReport } from "./report/json";
