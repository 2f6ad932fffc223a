/**
 * Every SQL statement the tracker runs, by name. Each connection prepares a statement once, on
 * first use; the name is what the statement seam reports to the engine.
 */
const CLIENT_COLUMNS = `id, client_key AS clientKey, name, status, priority_level AS priorityLevel`;
const EPIC_COLUMNS = `id, client_id AS clientId, epic_key AS epicKey, title, description,
  points_value AS pointsValue, points_earned AS pointsEarned, status, duration_text AS durationText`;
const TASK_COLUMNS = `id, epic_id AS epicId, task_key AS taskKey, title, tdd_phase AS tddPhase,
  status, story_points AS storyPoints, estimate_minutes AS estimateMinutes`;
const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

export const STATEMENTS = {
  beginWrite: 'BEGIN IMMEDIATE',
  beginRead: 'BEGIN DEFERRED',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',

  insertClient: `INSERT INTO clients (client_key, name, status, priority_level)
    VALUES (@clientKey, @name, @status, @priorityLevel) RETURNING ${CLIENT_COLUMNS}`,
  insertEpic: `INSERT INTO epics (client_id, epic_key, title, description, points_value, duration_text)
    VALUES (@clientId, @epicKey, @title, @description, @pointsValue, @durationText)
    RETURNING ${EPIC_COLUMNS}`,
  insertTask: `INSERT INTO tasks (epic_id, task_key, title, tdd_phase, story_points, estimate_minutes)
    VALUES (@epicId, @taskKey, @title, @tddPhase, @storyPoints, @estimateMinutes)
    RETURNING ${TASK_COLUMNS}`,

  clientById: `SELECT ${CLIENT_COLUMNS} FROM clients WHERE id = ?`,
  epicById: `SELECT ${EPIC_COLUMNS} FROM epics WHERE id = ?`,
  taskById: `SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ?`,
  clientExists: `SELECT 1 AS found FROM clients WHERE id = ?`,
  epicExists: `SELECT 1 AS found FROM epics WHERE id = ?`,
  clientKeyTaken: `SELECT 1 AS found FROM clients WHERE client_key = ?`,
  epicKeyTaken: `SELECT 1 AS found FROM epics WHERE epic_key = ?`,
  taskKeyTaken: `SELECT 1 AS found FROM tasks WHERE epic_id = ? AND task_key = ?`,

  setTaskStatus: `UPDATE tasks SET status = @status, updated_at = ${NOW},
      completed_at = CASE WHEN @status = 'completed' THEN ${NOW} ELSE completed_at END
    WHERE id = @id RETURNING ${TASK_COLUMNS}`,
  setTaskPhase: `UPDATE tasks SET tdd_phase = @tddPhase, updated_at = ${NOW}
    WHERE id = @id RETURNING ${TASK_COLUMNS}`,
  addPointsEarned: `UPDATE epics SET points_earned = points_earned + @points, updated_at = ${NOW}
    WHERE id = @epicId`,
  // The epic's status is derived from its tasks in the same statement, so it cannot drift.
  refreshEpicStatus: `UPDATE epics SET updated_at = ${NOW}, status = (
      SELECT CASE
        WHEN COUNT(*) = 0 OR SUM(t.status = 'todo') = COUNT(*) THEN 'pending'
        WHEN SUM(t.status = 'completed') = COUNT(*) THEN 'completed'
        ELSE 'in_progress' END
      FROM tasks t WHERE t.epic_id = epics.id)
    WHERE id = ?`,

  countClients: `SELECT COUNT(*) AS total FROM clients WHERE (@status IS NULL OR status = @status)`,
  pageClients: `SELECT ${CLIENT_COLUMNS} FROM clients WHERE (@status IS NULL OR status = @status)
    ORDER BY id LIMIT @limit OFFSET @offset`,
  countEpics: `SELECT COUNT(*) AS total FROM epics
    WHERE (@clientId IS NULL OR client_id = @clientId) AND (@status IS NULL OR status = @status)`,
  pageEpics: `SELECT ${EPIC_COLUMNS} FROM epics
    WHERE (@clientId IS NULL OR client_id = @clientId) AND (@status IS NULL OR status = @status)
    ORDER BY id LIMIT @limit OFFSET @offset`,
  countEpicsOfClient: `SELECT COUNT(*) AS total FROM epics
    WHERE client_id = @clientId AND (@status IS NULL OR status = @status)`,
  pageEpicsOfClient: `SELECT ${EPIC_COLUMNS} FROM epics
    WHERE client_id = @clientId AND (@status IS NULL OR status = @status)
    ORDER BY id LIMIT @limit OFFSET @offset`,
  countTasksOfEpic: `SELECT COUNT(*) AS total FROM tasks
    WHERE epic_id = @epicId AND (@status IS NULL OR status = @status)
      AND (@tddPhase IS NULL OR tdd_phase = @tddPhase)`,
  pageTasksOfEpic: `SELECT ${TASK_COLUMNS} FROM tasks
    WHERE epic_id = @epicId AND (@status IS NULL OR status = @status)
      AND (@tddPhase IS NULL OR tdd_phase = @tddPhase)
    ORDER BY id LIMIT @limit OFFSET @offset`,
  countTasks: `SELECT COUNT(*) AS total FROM tasks
    WHERE (@epicId IS NULL OR epic_id = @epicId) AND (@status IS NULL OR status = @status)
      AND (@tddPhase IS NULL OR tdd_phase = @tddPhase)`,
  pageTasks: `SELECT ${TASK_COLUMNS} FROM tasks
    WHERE (@epicId IS NULL OR epic_id = @epicId) AND (@status IS NULL OR status = @status)
      AND (@tddPhase IS NULL OR tdd_phase = @tddPhase)
    ORDER BY id LIMIT @limit OFFSET @offset`,

  // One statement, so the figures come from one snapshot without a transaction.
  epicAnalytics: `SELECT e.id AS epicId, e.status AS status, e.points_earned AS pointsEarned,
      e.points_value AS pointsValue, e.duration_text AS durationText,
      COUNT(t.id) AS totalTasks,
      COALESCE(SUM(t.status = 'todo'), 0) AS todo,
      COALESCE(SUM(t.status = 'in_progress'), 0) AS inProgress,
      COALESCE(SUM(t.status = 'completed'), 0) AS completed,
      COALESCE(SUM(t.tdd_phase = 'analysis'), 0) AS analysis,
      COALESCE(SUM(t.tdd_phase = 'red'), 0) AS red,
      COALESCE(SUM(t.tdd_phase = 'green'), 0) AS green,
      COALESCE(SUM(t.tdd_phase = 'refactor'), 0) AS refactor,
      COALESCE(SUM(t.tdd_phase = 'review'), 0) AS review,
      COALESCE(SUM(t.story_points), 0) AS storyPointsTotal,
      COALESCE(SUM(CASE WHEN t.status <> 'completed' THEN t.story_points END), 0)
        AS storyPointsRemaining,
      COALESCE(SUM(t.estimate_minutes), 0) AS estimateMinutesTotal,
      COALESCE(SUM(CASE WHEN t.status <> 'completed' THEN t.estimate_minutes END), 0)
        AS estimateMinutesRemaining
    FROM epics e LEFT JOIN tasks t ON t.epic_id = e.id WHERE e.id = ? GROUP BY e.id`,

  // Used only by planted-bug variants (catalogue/): the correct store never needs them.
  epicPointsById: `SELECT points_earned AS pointsEarned FROM epics WHERE id = ?`,
  setPointsEarned: `UPDATE epics SET points_earned = @pointsEarned, updated_at = ${NOW}
    WHERE id = @epicId`,
  nextClientId: `SELECT COALESCE(MAX(id), 0) + 1 AS nextId FROM clients`,
  insertClientWithId: `INSERT INTO clients (id, client_key, name, status, priority_level)
    VALUES (@id, @clientKey, @name, @status, @priorityLevel) RETURNING ${CLIENT_COLUMNS}`,

  journalMode: 'PRAGMA journal_mode',
  integrityCheck: 'PRAGMA integrity_check',
  foreignKeyCheck: 'PRAGMA foreign_key_check',
} as const;

export type StatementCatalogue = Readonly<Record<string, string>>;
export type StatementName = keyof typeof STATEMENTS;
