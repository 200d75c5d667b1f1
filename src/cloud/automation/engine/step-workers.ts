import type { Logger } from 'pino';
import type { JobResult, PgBoss } from 'pg-boss';
import { QUEUES, type StepJob } from './jobs';
import type { StepRunner } from './runner';

/** Jobs one worker fetches at once; a full batch is followed by another fetch at once (a backlog drains). */
const BATCH = 4;
/** A worker nobody wakes fetches this often (jobs sent by another process, delayed jobs coming due). */
const POLL_SECONDS = 2;

/**
 * This process's step workers: `ceil(concurrency / 4)` pg-boss workers, each fetching up to 4 step
 * jobs per round trip (SKIP LOCKED) and running them concurrently.
 *
 * Wake-ups are ours, not pg-boss's NOTIFY: pg-boss wakes EVERY worker of a queue in every process on
 * each job inserted (one gets it, the rest fetch nothing — a herd costing a round trip each), and it
 * has no LISTEN at all on PGlite. Every step job that is due now is sent by a worker process (the
 * dispatcher starting runs and waking waits, a step moving its run on, the sweep), so the sender
 * wakes one of its own workers per job after its transaction commits — an idle one first; a busy one
 * woken fetches again as soon as its batch is done. Jobs nobody woke (delayed ones coming due) are
 * found by the 2 s poll.
 */
export class StepWorkers {
  private readonly ids: string[] = [];
  private readonly busy = new Set<string>();
  private turn = 0;

  private constructor(private readonly boss: PgBoss) {}

  static async start(boss: PgBoss, runner: () => StepRunner, options: { concurrency: number; retryLimit: number; log: Logger }): Promise<StepWorkers> {
    const workers = new StepWorkers(boss);
    const batchSize = Math.min(BATCH, options.concurrency);
    const count = Math.ceil(options.concurrency / batchSize);
    for (let i = 0; i < count; i += 1) {
      let id = '';
      id = await boss.work<StepJob>(
        QUEUES.step,
        { batchSize, burstWhenBatchFull: true, perJobResults: true, pollingIntervalSeconds: POLL_SECONDS, localConcurrency: 1 },
        async (jobs): Promise<JobResult[]> => {
          workers.busy.add(id);
          try {
            return await Promise.all(
              jobs.map(async (job): Promise<JobResult> => {
                try {
                  await runner().run(job.data, { retryCount: job.retryCount, retryLimit: options.retryLimit });
                  return { id: job.id, status: 'completed' };
                } catch (error) {
                  options.log.debug({ err: error, job: job.data }, 'workflow step attempt failed; pg-boss retries it');
                  return { id: job.id, status: 'failed', output: { message: error instanceof Error ? error.message : String(error) } };
                }
              }),
            );
          } finally {
            workers.busy.delete(id);
          }
        },
      );
      workers.ids.push(id);
    }
    return workers;
  }

  /** Wakes workers for `count` jobs due now: idle ones first, then busy ones (they fetch again when done). */
  wake(count: number): void {
    const idle = this.ids.filter((id) => !this.busy.has(id));
    const order = [...idle, ...this.ids.filter((id) => this.busy.has(id))];
    const n = Math.min(count, order.length);
    for (let i = 0; i < n; i += 1) {
      // Rotate among the idle ones so successive single wakes do not all land on the same worker.
      const at = i < idle.length ? (this.turn + i) % idle.length : i;
      this.boss.notifyWorker(order[at]!);
    }
    this.turn += 1;
  }
}
