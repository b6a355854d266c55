/**
 * Every key of the single table, in one place, with the access pattern each one serves.
 *
 * Table: pk / sk. Indexes (see ./table.ts): gsi1 (owner), gsi2 (published by region),
 * gsi3 (published everywhere). All sort keys holding instants use UTC ISO strings, so string
 * order is time order.
 *
 * | access pattern                                      | key                                                        |
 * |-----------------------------------------------------|------------------------------------------------------------|
 * | a training by id                                    | pk TRAINING#{id}, sk TRAINING                              |
 * | a trainer's trainings, by first session             | gsi1 TRAINER#{sub} / TRAINING#{firstStart}#{id}            |
 * | published trainings of a region, by first session   | gsi2 PUBLISHED#{region} / {firstStart}#{id}                |
 * | published trainings of every region, by first start | gsi3 PUBLISHED / {firstStart}#{id}                         |
 *
 * Counters that change under concurrency (seats, waitlist) never live on the training item:
 * the training is saved whole with an optimistic version check, and a counter on it would make
 * every registration collide with every edit.
 */
export const entityTypes = {
  training: 'Training',
  emailClaim: 'EmailClaim',
} as const;

export const trainingKeys = {
  item: (trainingId: string) => ({ pk: `TRAINING#${trainingId}`, sk: 'TRAINING' }),
  byTrainer: (trainerSub: string, firstStart: string, trainingId: string) => ({
    gsi1pk: `TRAINER#${trainerSub}`,
    gsi1sk: `TRAINING#${firstStart}#${trainingId}`,
  }),
  trainerPartition: (trainerSub: string) => `TRAINER#${trainerSub}`,
  publishedInRegion: (region: string, firstStart: string, trainingId: string) => ({
    gsi2pk: `PUBLISHED#${region}`,
    gsi2sk: `${firstStart}#${trainingId}`,
  }),
  publishedRegionPartition: (region: string) => `PUBLISHED#${region}`,
  publishedEverywhere: (firstStart: string, trainingId: string) => ({
    gsi3pk: 'PUBLISHED',
    gsi3sk: `${firstStart}#${trainingId}`,
  }),
  publishedEverywherePartition: 'PUBLISHED',
} as const;

/**
 * | an email's delivery claim (exactly-once sending)   | pk EMAIL#{dedupeKey}, sk EMAIL                              |
 */
export const emailKeys = {
  claim: (dedupeKey: string) => ({ pk: `EMAIL#${dedupeKey}`, sk: 'EMAIL' }),
} as const;
