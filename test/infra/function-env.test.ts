import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/stack';
import { localFunctionEnvironment } from '../../local/environment';
import { assertFunctionEnvironment, functionEnvNames, optionalEnv, requiredEnv, type FunctionEnvironment } from '../../shared/env';
import { consumerList, eventRuleList, routeList, scheduleList } from '../../shared/manifest';

const cdkContext = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

/** What ServiceFunction adds to every function for the runtime and the logger, not the app. */
const runtimeVariables = new Set(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME']);
const contractNames = new Set<string>(functionEnvNames);

/** The variable names of every manifest function, across the stack and any nested stacks. */
function deployedVariableNames(): string[][] {
  const { stack } = buildApp({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
  const names: string[][] = [];
  for (const scope of stack.node.findAll().filter((construct): construct is Stack => Stack.isStack(construct))) {
    const functions = Template.fromStack(scope).findResources('AWS::Lambda::Function') as Record<string, { Properties: { Environment?: { Variables?: Record<string, unknown> } } }>;
    for (const fn of Object.values(functions)) {
      const variables = Object.keys(fn.Properties.Environment?.Variables ?? {}).filter((name) => !runtimeVariables.has(name));
      // The Cognito trigger, the deploy-time key function and CDK's own web deployment read none of it.
      if (variables.some((name) => contractNames.has(name))) names.push(variables.sort());
    }
  }
  return names;
}

// Synthesized once at load, as in stack.test.ts: on a busy machine it outlasts a test's timeout.
const deployed = deployedVariableNames();

const dataDirectory = mkdtempSync(path.join(tmpdir(), 'function-env-'));
afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

describe('the functions environment contract (shared/env.ts)', () => {
  it('infra and the local runtime set exactly the contract names, on every manifest function', () => {
    const contract = [...functionEnvNames].sort();
    expect(deployed).toHaveLength(routeList.length + consumerList.length + scheduleList.length + eventRuleList.length);
    for (const names of deployed) expect(names).toEqual(contract);
    const local = Object.keys(localFunctionEnvironment({ dataDirectory, publicBaseUrl: 'http://localhost:3000' })).sort();
    expect(local).toEqual(contract);
  });

  it('fails fast, naming the variable and what is wrong with it', () => {
    const saved = { ...process.env };
    try {
      delete process.env.TABLE_NAME;
      expect(() => requiredEnv('TABLE_NAME')).toThrow(/TABLE_NAME is not set/);
      process.env.PUBLIC_BASE_URL = 'training.example.kz';
      expect(() => optionalEnv('PUBLIC_BASE_URL')).toThrow(/PUBLIC_BASE_URL must be an absolute URL/);
      process.env.CHECK_IN_SECRET_ARN = 'check-in';
      expect(() => optionalEnv('CHECK_IN_SECRET_ARN')).toThrow(/CHECK_IN_SECRET_ARN must be a Secrets Manager ARN/);
      process.env.CHECK_IN_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:check-in';
      expect(optionalEnv('CHECK_IN_SECRET_ARN')).toBe(process.env.CHECK_IN_SECRET_ARN);
    } finally {
      process.env = saved;
    }
  });

  it('checks a whole environment at once, naming every variable that is missing or malformed', () => {
    const environment = localFunctionEnvironment({ dataDirectory, publicBaseUrl: 'http://localhost:3000' });
    expect(() => assertFunctionEnvironment(environment)).not.toThrow();
    const { TABLE_NAME: _missing, ...withoutTable } = environment;
    const broken = { ...withoutTable, MAIL_MAX_SEND_RATE: '0' } as FunctionEnvironment;
    expect(() => assertFunctionEnvironment(broken)).toThrow(/TABLE_NAME .*MAIL_MAX_SEND_RATE must be a whole number of emails per second|MAIL_MAX_SEND_RATE must be a whole number of emails per second.*TABLE_NAME /);
  });
});
