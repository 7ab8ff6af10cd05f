/** A trail as DescribeTrails, GetTrailStatus and GetEventSelectors describe it. */
export interface LiveTrail {
  readonly name: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  /** IAM, STS and sign-in events: global services, recorded in the partition's global event region. */
  readonly includesGlobalServiceEvents: boolean;
  readonly logging: boolean;
  readonly eventSelectors: readonly { readonly ReadWriteType?: string; readonly IncludeManagementEvents?: boolean }[];
  readonly advancedEventSelectors: readonly { readonly FieldSelectors?: readonly { readonly Field?: string; readonly Equals?: readonly string[] }[] }[];
}

/** Which management events a trail logs: the key-use rule needs the read-only ones too (a thief's first calls). */
export type ManagementEvents = "all" | "write-only" | "read-only" | "none";

const RANK: Readonly<Record<ManagementEvents, number>> = { none: 0, "read-only": 1, "write-only": 2, all: 3 };

/**
 * The management events the trail's selectors log. A trail with no selectors at all logs every
 * management event: AWS reports that default as one basic selector, moto reports none. An advanced
 * selector of eventCategory Management logs all of them unless its readOnly field narrows it.
 */
export function managementEventsOf(trail: Pick<LiveTrail, "eventSelectors" | "advancedEventSelectors">): ManagementEvents {
  if (trail.eventSelectors.length === 0 && trail.advancedEventSelectors.length === 0) return "all";
  const fromBasic = trail.eventSelectors
    .filter((selector) => selector.IncludeManagementEvents !== false)
    .map((selector): ManagementEvents => (selector.ReadWriteType === "WriteOnly" ? "write-only" : selector.ReadWriteType === "ReadOnly" ? "read-only" : "all"));
  const fromAdvanced = trail.advancedEventSelectors.flatMap((selector): ManagementEvents[] => {
    const fields = selector.FieldSelectors ?? [];
    if (!fields.some((field) => field.Field === "eventCategory" && field.Equals?.includes("Management"))) return [];
    const readOnly = fields.find((field) => field.Field === "readOnly")?.Equals ?? [];
    if (readOnly.length === 1) return [readOnly[0] === "true" ? "read-only" : "write-only"];
    return ["all"];
  });
  const logged = new Set([...fromBasic, ...fromAdvanced]);
  if (logged.has("all") || (logged.has("read-only") && logged.has("write-only"))) return "all";
  return [...logged].sort((a, b) => RANK[b] - RANK[a])[0] ?? "none";
}

/** What keeps one trail from feeding the rules of `region`, in one phrase each; empty when nothing does. */
export function trailShortfalls(trail: LiveTrail, region: string): string[] {
  const shortfalls: string[] = [];
  if (!trail.multiRegion && trail.homeRegion !== region) shortfalls.push(`records only ${trail.homeRegion}`);
  if (!trail.logging) shortfalls.push("is not logging");
  if (!trail.includesGlobalServiceEvents) shortfalls.push("leaves out global service events (IAM, STS, sign-in)");
  const management = managementEventsOf(trail);
  if (management === "none") shortfalls.push("logs no management events");
  if (management === "write-only") shortfalls.push("logs write-only management events (the key-use rule misses read-only calls such as ListBuckets)");
  if (management === "read-only") shortfalls.push("logs read-only management events only (the IAM rule misses every change)");
  return shortfalls;
}

/**
 * Whether the account's trails feed the rules: EventBridge receives CloudTrail's API-call events only
 * from a trail that is logging, and IAM's only where it records global service events. The best trail
 * is named: the one with the fewest shortfalls.
 */
export function judgeTrails(trails: readonly LiveTrail[], region: string): { readonly covered: boolean; readonly detail: string } {
  if (trails.length === 0) {
    return {
      covered: false,
      detail: `the account has no CloudTrail trail, so EventBridge gets no API call events and no rule can fire (docs/monitoring.md makes one)`,
    };
  }
  const [best] = trails.map((trail) => ({ trail, shortfalls: trailShortfalls(trail, region) })).sort((a, b) => a.shortfalls.length - b.shortfalls.length);
  const { trail, shortfalls } = best!;
  if (shortfalls.length === 0) {
    return { covered: true, detail: `trail ${trail.name} logs all management events of ${region} and the global services` };
  }
  return { covered: false, detail: `no trail feeds the rules: the closest, ${trail.name}, ${shortfalls.join(", ")}` };
}
