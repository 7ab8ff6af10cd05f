/** EventBridge's bus when a rule names none; terraform leaves it out of the ids. */
export const DEFAULT_EVENT_BUS = "default";

const EVENT_BUS_ARN = /^arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/[0-9A-Za-z_.-]+$/;
const PARTNER_EVENT_BUS = /^(?:arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?aws\.partner(\/[0-9A-Za-z_.-]+){2,}$/;

/** A bus named by an ARN or a partner source contains slashes itself. */
function isSlashedBusName(name: string): boolean {
  return EVENT_BUS_ARN.test(name) || PARTNER_EVENT_BUS.test(name);
}

/** terraform's aws_cloudwatch_event_rule id: the rule name on the default bus, else `<bus>/<rule>`. */
export function eventRuleId(eventBusName: string, ruleName: string): string {
  return eventBusName === "" || eventBusName === DEFAULT_EVENT_BUS ? ruleName : `${eventBusName}/${ruleName}`;
}

export function parseEventRuleId(id: string): { eventBusName: string; ruleName: string } {
  const parts = id.split("/");
  if (parts.length === 1 && parts[0]) return { eventBusName: DEFAULT_EVENT_BUS, ruleName: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { eventBusName: parts[0], ruleName: parts[1] };
  const last = id.lastIndexOf("/");
  if (parts.length > 2 && last < id.length - 1 && isSlashedBusName(id.slice(0, last))) {
    return { eventBusName: id.slice(0, last), ruleName: id.slice(last + 1) };
  }
  throw new Error(`unexpected format for ID (${id}), expected EVENTBUSNAME/RULENAME or RULENAME`);
}

/**
 * terraform's aws_cloudwatch_event_target state id: `<rule>-<target id>`, or `<bus>-<rule>-<target id>`
 * off the default bus. It cannot be parsed back ("-" occurs in all three parts), so terraform imports
 * by another form (below) and reads by the state's rule, bus and target id.
 */
export function eventTargetId(eventBusName: string, ruleName: string, targetId: string): string {
  const parts = eventBusName === "" || eventBusName === DEFAULT_EVENT_BUS ? [ruleName, targetId] : [eventBusName, ruleName, targetId];
  return parts.join("-");
}

/** terraform's import id of a target: `<rule>/<target id>` or `<bus>/<rule>/<target id>`. */
export function parseEventTargetImportId(id: string): { eventBusName: string; ruleName: string; targetId: string } {
  const parts = id.split("/");
  if (parts.length === 2 && parts[0] && parts[1]) return { eventBusName: DEFAULT_EVENT_BUS, ruleName: parts[0], targetId: parts[1] };
  if (parts.length === 3 && parts[0] && parts[1] && parts[2]) return { eventBusName: parts[0], ruleName: parts[1], targetId: parts[2] };
  if (parts.length > 3) {
    const targetSeparator = id.lastIndexOf("/");
    const ruleSeparator = id.lastIndexOf("/", targetSeparator - 1);
    const eventBusName = id.slice(0, ruleSeparator);
    const ruleName = id.slice(ruleSeparator + 1, targetSeparator);
    const targetId = id.slice(targetSeparator + 1);
    if (isSlashedBusName(eventBusName) && ruleName && targetId) return { eventBusName, ruleName, targetId };
  }
  throw new Error(`unexpected format for ID (${id}), expected EVENTBUSNAME/RULENAME/TARGETID or RULENAME/TARGETID`);
}
