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
import { trainingIdParams } from '../schemas/common';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

export const listJournalRequest = { query: journalListQuery } satisfies RouteSpec;
export const createJournalEntryRequest = { body: createJournalEntrySchema } satisfies RouteSpec;
export const getJournalEntryRequest = { params: journalEntryParams } satisfies RouteSpec;
export const updateJournalEntryRequest = { params: journalEntryParams, body: updateJournalEntrySchema } satisfies RouteSpec;
export const deleteJournalEntryRequest = { params: journalEntryParams } satisfies RouteSpec;
export const shareJournalEntryRequest = { params: journalEntryParams, body: shareSchema } satisfies RouteSpec;
export const shareJournalTrainingRequest = { params: journalTrainingParams, body: shareSchema } satisfies RouteSpec;
export const exportJournalRequest = { query: journalExportQuery } satisfies RouteSpec;
export const journalPromptsRequest = { query: journalPromptsQuery } satisfies RouteSpec;
export const setJournalPromptsRequest = { params: trainingIdParams, body: trainerPromptsSchema } satisfies RouteSpec;
export const trainerJournalRequest = { params: trainingIdParams } satisfies RouteSpec;
export const commentJournalEntryRequest = { params: trainerJournalEntryParams, body: commentSchema } satisfies RouteSpec;

export const journalApi = {
  listJournal: listJournalRequest,
  createJournalEntry: createJournalEntryRequest,
  getJournalEntry: getJournalEntryRequest,
  updateJournalEntry: updateJournalEntryRequest,
  deleteJournalEntry: deleteJournalEntryRequest,
  shareJournalEntry: shareJournalEntryRequest,
  shareJournalTraining: shareJournalTrainingRequest,
  exportJournal: exportJournalRequest,
  journalPrompts: journalPromptsRequest,
  setJournalPrompts: setJournalPromptsRequest,
  trainerJournal: trainerJournalRequest,
  commentJournalEntry: commentJournalEntryRequest,
} satisfies AreaRequests;
