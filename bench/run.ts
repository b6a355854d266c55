/** `npm run bench`: every benchmark, one after another, each printed as a table. */
import os from 'node:os';
import { registrationBurst } from './registration-burst';

console.log(`node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);

console.log('\nRegistration burst (2,000 concurrent requests, 30 seats, through the local gateway)');
const burst = await registrationBurst();
console.table(burst);
if (burst.invariants !== 'hold' || burst.errors !== 0) process.exitCode = 1;
