/** Input limits of the tracker's API: part of its contract, shared by the store and the model. */
export const LIMITS = {
  keyMaxLength: 64,
  titleMaxLength: 200,
  descriptionMaxLength: 2000,
  durationTextMaxLength: 200,
  priorityLevel: { min: 1, max: 10, default: 5 },
  pointsValue: { min: 0, max: 1_000_000, default: 0 },
  storyPoints: { min: 0, max: 100, default: 1 },
  estimateMinutes: { min: 0, max: 100_000, default: 60 },
  tasksPerEpicCreate: 50,
  pageSize: { min: 1, max: 100, default: 20 },
} as const;
