/** AWS SDK v3 names each service error; branch on the name, never on message text. */
export function isNoSuchEntity(error: unknown): boolean {
  return error instanceof Error && error.name === "NoSuchEntityException";
}

/** Runs `call` and returns undefined when the entity does not exist (any other error propagates). */
export async function unlessMissing<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** Secrets Manager's and EventBridge's name for something that does not exist. */
export function isResourceNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "ResourceNotFoundException";
}

/** Runs a Secrets Manager or EventBridge `call` and returns undefined when what it addresses does not exist. */
export async function unlessResourceMissing<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isResourceNotFound(error)) return undefined;
    throw error;
  }
}

/** SNS's and KMS's name for a topic, subscription, key or alias that does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "NotFoundException";
}

/** Runs an SNS or KMS `call` and returns undefined when what it addresses does not exist. */
export async function unlessNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
