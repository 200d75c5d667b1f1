// What Voice SDKs post to Twilio's Insights event gateway (call-quality events and metric
// samples), kept so tests can read them. Bounded: the oldest go first.
export interface InsightsPost {
  endpoint: 'EndpointEvents' | 'EndpointMetrics';
  /** The identity of the access token that signed the post. */
  identity: string;
  group: string;
  name: string;
  level: string;
  /** The call the post is about, when the SDK says (CA… sid). */
  callSid: string | null;
  payload: unknown;
  receivedAt: Date;
}

export class InsightsLog {
  private readonly posts: InsightsPost[] = [];

  constructor(private readonly capacity = 5000) {}

  add(post: InsightsPost): void {
    this.posts.push(post);
    if (this.posts.length > this.capacity) this.posts.splice(0, this.posts.length - this.capacity);
  }

  all(filter: Partial<Pick<InsightsPost, 'endpoint' | 'identity' | 'group' | 'name' | 'callSid'>> = {}): InsightsPost[] {
    return this.posts.filter((p) => Object.entries(filter).every(([k, v]) => v === undefined || p[k as keyof InsightsPost] === v));
  }
}
