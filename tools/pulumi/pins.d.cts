export function pinnedPulumiVersion(): string;
export function requiredGoVersion(): string;
