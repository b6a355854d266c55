import {
  commentSchema,
  createJournalEntrySchema,
  journalEntryParams,
  journalExportQuery,
  journalListQuery,
  journalPromptsQuery,
  journalTrainingParams,
  shareSchema,
  trainerJournalEntryParams,
  trainerPromptsSchema,
  updateJournalEntrySchema,
} from '../schemas/journal';
import { trainingIdParams } from '../schemas/training';
import type { AreaRequests } from './contract';

export const journalApi = {
  listJournal: { query: journalListQuery },
  createJournalEntry: { body: createJournalEntrySchema },
  getJournalEntry: { params: journalEntryParams },
  updateJournalEntry: { params: journalEntryParams, body: updateJournalEntrySchema },
  deleteJournalEntry: { params: journalEntryParams },
  shareJournalEntry: { params: journalEntryParams, body: shareSchema },
  shareJournalTraining: { params: journalTrainingParams, body: shareSchema },
  exportJournal: { query: journalExportQuery },
  journalPrompts: { query: journalPromptsQuery },
  setJournalPrompts: { params: trainingIdParams, body: trainerPromptsSchema },
  trainerJournal: { params: trainingIdParams },
  commentJournalEntry: { params: trainerJournalEntryParams, body: commentSchema },
} satisfies AreaRequests;
