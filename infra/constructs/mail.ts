import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { MailSender } from './service-function';

export interface MailProps {
  /** The From address of every platform email (cdk.json context `sesFromAddress`). */
  fromAddress: string;
}

/**
 * The SES identity mail is sent from and the configuration set that later carries delivery,
 * bounce and complaint events to EventBridge.
 */
export class Mail extends Construct implements MailSender {
  readonly fromAddress: string;
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.fromAddress = props.fromAddress;

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Delivery, bounce and complaint events go to the default bus, where the manifest's event
    // rules pick them up (sesDeliveryEvents records them on the certificate).
    this.configurationSet.addEventDestination('EventBridge', {
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
      ],
    });
    // The identity's default configuration set applies to every message, so handlers need not
    // name it and no message escapes event tracking.
    this.identity = new ses.EmailIdentity(this, 'FromIdentity', {
      identity: ses.Identity.email(props.fromAddress),
      configurationSet: this.configurationSet,
    });
  }

  grantSendEmail(grantee: iam.IGrantable): void {
    const configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    // SES authorizes a send against the identity and against the configuration set it uses.
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [this.identity.emailIdentityArn, configurationSetArn],
    });
  }
}
