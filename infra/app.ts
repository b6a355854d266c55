/**
 * The cdk.json entry (`npx tsx infra/app.ts`). It only synthesizes; tests import `buildApp`
 * from ./stack instead, because importing this file would write a cloud assembly.
 */
import { buildApp } from './stack';

buildApp().app.synth();
