import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { EventRuleDefinition, FilterPattern } from '../../shared/manifest';
import { constructIdFor, ServiceFunction, type GrantTargets } from './service-function';

export interface EventRulesProps {
  eventRules: readonly EventRuleDefinition[];
  environment: Readonly<Record<string, string>>;
  grantTargets: GrantTargets;
}

/** The manifest's pattern as CDK's EventPattern; a key CDK cannot express fails the synth. */
export function eventPatternOf(pattern: FilterPattern): events.EventPattern {
  const result: { -readonly [K in keyof events.EventPattern]: unknown } = {};
  for (const [key, value] of Object.entries(pattern)) {
    if (key === 'source') result.source = value;
    else if (key === 'detail-type') result.detailType = value;
    else if (key === 'detail') result.detail = value;
    else throw new Error(`Event pattern key "${key}" is not supported; use source, detail-type or detail.`);
  }
  return result as events.EventPattern;
}

/** One function and one rule on the default bus per manifest event rule. */
export class EventRules extends Construct {
  readonly functions: ReadonlyMap<string, ServiceFunction>;

  constructor(scope: Construct, id: string, props: EventRulesProps) {
    super(scope, id);
    const functions = new Map<string, ServiceFunction>();
    for (const rule of props.eventRules) {
      const id = constructIdFor(rule.name);
      const fn = new ServiceFunction(this, `${id}Function`, {
        handlerPath: rule.handler,
        description: rule.description,
        environment: props.environment,
        timeoutSeconds: rule.timeoutSeconds,
        memoryMb: rule.memoryMb,
      });
      fn.grantManifestPermissions(rule.permissions, props.grantTargets);
      new events.Rule(this, `${id}Rule`, {
        description: rule.description,
        eventPattern: eventPatternOf(rule.pattern),
        // Handlers are idempotent and keep only the newest state, so retries are harmless.
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
      });
      functions.set(rule.name, fn);
    }
    this.functions = functions;
  }
}
