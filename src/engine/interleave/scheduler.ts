/**
 * Runs K workers in one thread, one step at a time: every worker parks at a gate before each
 * step (the start of an operation, each SQL statement, each back-off after SQLITE_BUSY) and the
 * schedule alone decides which parked worker goes next. Between two gates a worker only runs
 * microtasks, so the whole execution is a function of the programs and the schedule.
 */
import type { GatePosition, ScheduleCursor } from './schedule';

export type GateKind = 'invoke' | 'statement' | 'backoff';

export interface StepRecord {
  readonly step: number;
  readonly worker: number;
  readonly kind: GateKind;
  readonly label: string;
}

export type SchedulerVerdict =
  | { readonly kind: 'completed'; readonly steps: number }
  | { readonly kind: 'step-limit'; readonly steps: number }
  | { readonly kind: 'hang'; readonly worker: number; readonly lastStep: string }
  | { readonly kind: 'crash'; readonly worker: number; readonly error: string };

export interface SchedulerOptions {
  readonly workers: number;
  /** A livelock guard: the run stops with 'step-limit' past this many steps. */
  readonly maxSteps: number;
  /** How long a released worker may take to reach its next gate before it counts as hung. */
  readonly quiescenceTimeoutMs: number;
  /** Each worker's index as generated, which `points` schedules are keyed by (default: its own). */
  readonly workerKeys?: readonly number[];
}

interface Parked {
  readonly kind: GateKind;
  readonly label: string;
  release(): void;
}

type Arrival = 'parked' | 'finished' | { readonly crashed: unknown };

/** Hooks a worker's store calls: structurally the statement seam's hooks. */
export interface WorkerGates {
  beforeStatement(event: { readonly name: string }): Promise<void>;
  backoff(): Promise<void>;
}

export class InterleavingScheduler {
  private readonly parked = new Map<number, Parked>();
  private readonly waiting = new Map<number, (arrival: Arrival) => void>();
  private readonly backingOff = new Set<number>();
  private readonly records: StepRecord[] = [];
  private readonly positions = new Map<number, GatePosition>();
  private current = -1;
  private lastWorker = 0;

  constructor(
    private readonly cursor: ScheduleCursor,
    private readonly options: SchedulerOptions,
  ) {}

  /** The step now running: the logical clock of every history this scheduler records. */
  get now(): number {
    return this.current;
  }

  get trace(): readonly StepRecord[] {
    return this.records;
  }

  private readonly keyOf = (worker: number): number => this.options.workerKeys?.[worker] ?? worker;

  /** `slot` is the call's index in the program as generated; only the start of a call has one. */
  gate(worker: number, kind: GateKind, label: string, slot?: number): Promise<void> {
    const previous = this.positions.get(worker);
    this.positions.set(
      worker,
      kind === 'invoke' || previous === undefined
        ? { worker: this.keyOf(worker), slot: slot ?? 0, gate: 0 }
        : { ...previous, gate: previous.gate + 1 },
    );
    return new Promise<void>((release) => {
      this.parked.set(worker, { kind, label, release });
      if (kind === 'backoff') this.backingOff.add(worker);
      this.arrive(worker, 'parked');
    });
  }

  gatesFor(worker: number): WorkerGates {
    return {
      beforeStatement: (event) => this.gate(worker, 'statement', event.name),
      backoff: () => this.gate(worker, 'backoff', 'busy: back off'),
    };
  }

  /** Starts every body and drives them to the end under the schedule. */
  async run(bodies: readonly (() => Promise<void>)[]): Promise<SchedulerVerdict> {
    // Start workers one by one, each up to its first gate, so start-up is deterministic too.
    for (const [worker, body] of bodies.entries()) {
      const arrival = this.expect(worker);
      body().then(
        () => this.arrive(worker, 'finished'),
        (error: unknown) => this.arrive(worker, { crashed: error }),
      );
      const verdict = await this.settle(worker, arrival, 'start');
      if (verdict !== undefined) return verdict;
    }
    for (;;) {
      const runnable = [...this.parked.keys()].sort((a, b) => a - b);
      if (runnable.length === 0) return { kind: 'completed', steps: this.current + 1 };
      if (this.current + 1 >= this.options.maxSteps) {
        return { kind: 'step-limit', steps: this.current + 1 };
      }
      // A worker backing off from SQLITE_BUSY waits while any other worker can move: otherwise a
      // high-priority worker would spin against the lock holder and exhaust its retries.
      const ready = runnable.filter((w) => !this.backingOff.has(w));
      const last = this.lastWorker;
      const worker = this.cursor.choose(this.current + 1, ready.length > 0 ? ready : runnable, {
        last,
        positionOf: (w) => (this.parked.has(w) ? this.positions.get(w) : undefined),
        keyOf: this.keyOf,
      });
      this.lastWorker = worker;
      const parked = this.parked.get(worker) as Parked;
      this.parked.delete(worker);
      this.current += 1;
      this.records.push({ step: this.current, worker, kind: parked.kind, label: parked.label });
      this.backingOff.delete(worker);
      const arrival = this.expect(worker);
      parked.release();
      const verdict = await this.settle(worker, arrival, parked.label);
      if (verdict !== undefined) return verdict;
    }
  }

  private expect(worker: number): Promise<Arrival> {
    return new Promise<Arrival>((resolve) => this.waiting.set(worker, resolve));
  }

  private arrive(worker: number, arrival: Arrival): void {
    const resolve = this.waiting.get(worker);
    this.waiting.delete(worker);
    if (arrival !== 'parked') this.backingOff.delete(worker);
    resolve?.(arrival);
  }

  private async settle(
    worker: number,
    arrival: Promise<Arrival>,
    lastStep: string,
  ): Promise<SchedulerVerdict | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.quiescenceTimeoutMs);
    });
    const outcome = await Promise.race([arrival, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') return { kind: 'hang', worker, lastStep };
    if (typeof outcome === 'object') {
      const error = outcome.crashed;
      return {
        kind: 'crash',
        worker,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    return undefined;
  }
}
