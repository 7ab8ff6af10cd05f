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
 * Secrets Manager. The Django deploy owns that role; docs/django.md shows this document, and the
 * consumer suite grants exactly this (on moto) to the identity it reads the secret as.
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
