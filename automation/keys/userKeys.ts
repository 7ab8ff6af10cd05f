import { GetAccessKeyLastUsedCommand, paginateListAccessKeys, type IAMClient } from "@aws-sdk/client-iam";

/** One access key of the user, as IAM reports it. */
export interface UserKey {
  readonly id: string;
  readonly status: "Active" | "Inactive";
  readonly createdAt: Date;
  /** When, where and against which service the key last signed a request; absent if never. */
  readonly lastUsed?: { readonly at: Date; readonly service?: string; readonly region?: string };
}

/** Every key of the user with its last use (one GetAccessKeyLastUsed per key; IAM allows two keys). */
export async function listUserKeys(iam: IAMClient, userName: string, signal?: AbortSignal): Promise<UserKey[]> {
  const keys: UserKey[] = [];
  for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
    for (const key of page.AccessKeyMetadata ?? []) {
      if (!key.AccessKeyId) continue;
      keys.push({ id: key.AccessKeyId, status: key.Status === "Inactive" ? "Inactive" : "Active", createdAt: key.CreateDate ?? new Date(0) });
    }
  }
  return Promise.all(
    keys.map(async (key) => {
      const { AccessKeyLastUsed: used } = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.id }), { abortSignal: signal });
      // IAM reports "N/A" for a service it has no record of.
      const service = used?.ServiceName && used.ServiceName !== "N/A" ? used.ServiceName : undefined;
      const region = used?.Region && used.Region !== "N/A" ? used.Region : undefined;
      return used?.LastUsedDate ? { ...key, lastUsed: { at: used.LastUsedDate, ...(service ? { service } : {}), ...(region ? { region } : {}) } } : key;
    }),
  );
}
