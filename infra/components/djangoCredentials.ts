/** The JSON keys of the secret: the settings django-storages reads, as `outputs --format env` names them. */
export const DJANGO_CREDENTIAL_NAMES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_STORAGE_BUCKET_NAME",
  "AWS_S3_REGION_NAME",
] as const;
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

/** An identity policy statement of the read grant (the uploads policy's type has no Condition). */
export interface ReadGrantStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string;
  readonly Resource: string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface ReadGrantOptions {
  /** The secret's full ARN (the stack output `credentialsSecretArn`). */
  readonly secretArn: string;
  /** The customer managed key's ARN, when `credentialsSecretKmsKeyId` names one (an alias is no resource for kms:Decrypt). */
  readonly kmsKeyArn?: string;
}

/**
 * What Django's own role (its ECS task role, say) needs to read the secret at run time: GetSecretValue
 * on that one secret and, when a customer key encrypts it, kms:Decrypt of that key only through
 * Secrets Manager. The Django deploy owns that role; the README shows this document.
 */
export function djangoSecretReadPolicy({ secretArn, kmsKeyArn }: ReadGrantOptions): { Version: "2012-10-17"; Statement: ReadGrantStatement[] } {
  const statements: ReadGrantStatement[] = [
    { Sid: "ReadTalentbaseCredentialsSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn },
  ];
  if (kmsKeyArn) {
    const region = secretArn.split(":")[3];
    statements.push({
      Sid: "DecryptTalentbaseCredentialsSecret",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}
