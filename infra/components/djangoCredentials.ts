/** The JSON keys of the secret: the settings django-storages reads, as `outputs --format env` names them. */
export const DJANGO_CREDENTIAL_NAMES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_REGION_NAME"] as const;
export type DjangoCredentials = { readonly [K in (typeof DJANGO_CREDENTIAL_NAMES)[number]]: string };

/** What the secret holds for Django. */
export interface DjangoCredentialValues {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly bucketName: string;
  readonly region: string;
}

/** The secret string: one JSON object Django's settings can take over key by key. */
export function djangoCredentialsDocument(values: DjangoCredentialValues): string {
  const document: DjangoCredentials = {
    AWS_ACCESS_KEY_ID: values.accessKeyId,
    AWS_SECRET_ACCESS_KEY: values.secretAccessKey,
    AWS_STORAGE_BUCKET_NAME: values.bucketName,
    AWS_S3_REGION_NAME: values.region,
  };
  return JSON.stringify(document);
}
