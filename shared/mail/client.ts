import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { optionalEnv, requiredEnv } from '../env';
import { withoutSdkLogging } from '../observability/sdk-logging';
import { acquireSendSlot, retryThrottling } from './send-rate';

/** Locally AWS_ENDPOINT_URL_SESV2 points the client at the SES emulator. */
export const ses = withoutSdkLogging(new SESv2Client({}));

const mailFrom = requiredEnv('MAIL_FROM');
const configurationSet = optionalEnv('SES_CONFIGURATION_SET');

export interface EmailAttachment {
  filename: string;
  content: Buffer | string;
  contentType: string;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: EmailAttachment[];
  /**
   * SES message tags, returned with every delivery, bounce and complaint event of this email
   * (letters, digits, `_` and `-` only; never personal data).
   */
  tags?: Record<string, string>;
}

/**
 * Builds a raw MIME message (so subjects and names in Kazakh are encoded per RFC 2047 and files
 * can be attached) and hands it to SES within the account's send rate, retrying throttling.
 * Returns SES's message id.
 */
export async function sendEmail(email: OutgoingEmail): Promise<string> {
  // nodemailer loads with the first email, not with every function that could send one.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const mime = await new MailComposer({
    from: mailFrom,
    to: email.to,
    subject: email.subject,
    text: email.text,
    ...(email.html ? { html: email.html } : {}),
    textEncoding: 'base64',
    attachments: email.attachments?.map((attachment) => ({ ...attachment })),
  })
    .compile()
    .build();
  const command = new SendEmailCommand({
    Content: { Raw: { Data: mime } },
    Destination: { ToAddresses: [email.to] },
    FromEmailAddress: mailFrom,
    ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
    ...(email.tags ? { EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
  });
  // Every attempt is a request SES counts against the quota, so each one takes a slot.
  const result = await retryThrottling(async () => {
    await acquireSendSlot();
    return ses.send(command);
  });
  return result.MessageId ?? '';
}
