import { TransactionCanceledException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client';

/** One item of a TransactWriteItems, for writes that ride along with another module's transaction. */
export type TransactionPart = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const MAX_ATTEMPTS = 15;
const BASE_DELAY_MS = 15;
const MAX_DELAY_MS = 800;

/**
 * Which of the transaction's items failed its condition, by position; conflicts with another
 * transaction on the same item are retried and never reported here.
 */
export class TransactionConditionFailed extends Error {
  constructor(
    readonly failedItems: readonly number[],
    /** By position: the item as it was, for items sent with ReturnValuesOnConditionCheckFailure. */
    readonly oldItems: readonly (Record<string, AttributeValue> | undefined)[] = [],
  ) {
    super(`Transaction condition failed on item(s) ${failedItems.join(', ')}`);
    this.name = 'TransactionConditionFailed';
  }
}

function reasonCodes(error: TransactionCanceledException): string[] {
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

/**
 * TransactWriteItems with the retry the SDK does not do: under a registration burst many
 * transactions touch one training's seat counter, and DynamoDB cancels the losers with
 * TransactionConflict. They retry with full-jitter backoff; a failed condition is final.
 */
export async function transactWrite(input: TransactWriteCommandInput): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = reasonCodes(error);
      const failed = codes.flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [index] : []));
      if (failed.length > 0) throw new TransactionConditionFailed(failed, (error.CancellationReasons ?? []).map((reason) => reason.Item));
      const retryable = codes.some((code) => code === 'TransactionConflict' || code === 'ThrottlingError');
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
