/** The command that replays one case of an engine, as printed in reports and saved failures. */
import { DEFAULT_BUDGETS } from '../config/budgets';
import type { EngineSettings } from './engines';

export function replayCommand(
  engine: string,
  seed: number,
  path: string,
  settings: EngineSettings,
  targetFlag: string | undefined,
): string {
  const maxCommands = settings.maxCommands;
  return [
    'npx stampede replay',
    `--engine ${engine}`,
    `--seed ${seed}`,
    ...(path !== '' ? [`--path ${path}`] : []),
    ...(targetFlag ? [`--target ${targetFlag}`] : []),
    ...(typeof maxCommands === 'number' && maxCommands !== DEFAULT_BUDGETS.maxCommands
      ? [`--max-commands ${maxCommands}`]
      : []),
  ].join(' ');
}
