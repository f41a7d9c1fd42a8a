import type { DeviceStatus, InspectionCase, Observation } from '@customs-hub/sdk';
import { clearToken, getToken } from './session.js';

/** An HTTP answer other than 2xx, with the server's message when it gave one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => undefined;
/** The app shows the login page again when the token is refused. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/** The token was refused: forget it and show the login page. */
export function signedOut(): void {
  clearToken();
  onUnauthorized();
}

export function authHeaders(token = getToken()): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  // The header marks the console's own requests: a change made with the session cookie needs it (no cross-site form sends it).
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'customs-hub-console', ...authHeaders(token ?? getToken()) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401 && token === undefined) signedOut();
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const e = (await res.json()) as { message?: string };
      if (e.message) message = e.message;
    } catch {
      /* not JSON: keep the status line */
    }
    throw new ApiError(res.status, message);
  }
  if (res.status === 204) return undefined as T;
  return res.json() as Promise<T>;
}

// Lists may come bare or wrapped ({ items }, { devices }, …); the console takes either.
function list<T>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  const o = (body ?? {}) as Record<string, unknown>;
  for (const k of [...keys, 'items', 'data', 'records']) if (Array.isArray(o[k])) return o[k] as T[];
  return [];
}

function unwrapCase(body: unknown): InspectionCase {
  const b = body as { case?: InspectionCase };
  return (b.case ?? body) as InspectionCase;
}

/** The hub lists a lane's devices by id (older answers gave objects). */
export interface LaneInfo {
  id: string;
  name?: string;
  type?: string;
  devices: Array<string | { id: string }>;
}
export interface CheckpointInfo {
  checkpoint: { id: string; name?: string };
  lanes: LaneInfo[];
}

/** One audit log entry, as `/api/v1/cases/{id}/history` gives it. */
export interface AuditEntry {
  seq: number;
  at: string;
  action: string;
  actor: { subject: string; role: string; client: string; source: string };
  object: { type: string; id: string };
  before: unknown;
  after: unknown;
}
/** A four-eyes request. */
export interface Approval {
  id: string;
  action: string;
  state: 'pending' | 'approved' | 'rejected';
  reason?: string;
  requestedBy: { subject: string };
  requestedAt: string;
  decidedBy?: { subject: string };
}

export const api = {
  /** How people sign in here: a pasted token, and the identity provider when the hub is set up for it. */
  signInMethods: async (): Promise<string[]> => {
    try {
      return ((await (await fetch('/auth/methods')).json()) as { methods: string[] }).methods;
    } catch {
      return ['token'];
    }
  },
  /** Whether the browser already has a session (after the identity provider's sign-in). */
  hasSession: async (): Promise<boolean> => (await fetch('/api/v1/devices', { headers: { accept: 'application/json' } })).ok,
  /** Checks a token without logging anyone out when it is wrong. */
  check: (token: string) => request<unknown>('GET', '/api/v1/devices', undefined, token),
  /** The feed's last sequence number. */
  feedHead: async () => (await request<{ head: number }>('GET', '/api/v1/feed?after=0&limit=1')).head,
  config: () => request<CheckpointInfo>('GET', '/api/v1/config'),
  devices: async () => list<DeviceStatus>(await request('GET', '/api/v1/devices'), 'devices'),
  observations: async (query: Record<string, string | number>) => {
    const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return list<Observation>(await request('GET', `/api/v1/observations?${q}`), 'observations');
  },
  observation: (id: string) => request<Observation>('GET', `/api/v1/observations/${encodeURIComponent(id)}`),
  cases: async (query: Record<string, string | number> = {}) => {
    const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return list<InspectionCase>(await request('GET', `/api/v1/cases?${q}`), 'cases');
  },
  /** A case with its observations (the hub answers `{ case, reasons, observations }`). */
  case: async (id: string) => {
    const body = await request<{ case?: InspectionCase; observations?: Observation[] } & Partial<InspectionCase>>(
      'GET',
      `/api/v1/cases/${encodeURIComponent(id)}`,
    );
    return { case: (body.case ?? body) as InspectionCase, observations: body.observations ?? null };
  },
  refer: async (id: string, reason: string) => unwrapCase(await request('POST', `/api/v1/cases/${encodeURIComponent(id)}/referral`, { reason })),
  outcome: async (id: string, outcome: { violation: boolean; findings?: string }) =>
    unwrapCase(await request('POST', `/api/v1/cases/${encodeURIComponent(id)}/outcome`, outcome)),
  history: (id: string) => request<{ entries: AuditEntry[]; approvals: Approval[] }>('GET', `/api/v1/cases/${encodeURIComponent(id)}/history`),
  decide: (approvalId: string, approve: boolean) =>
    request<{ approval: Approval }>('POST', `/api/v1/approvals/${encodeURIComponent(approvalId)}/${approve ? 'approve' : 'reject'}`, {}),
};

/** A raw file from the hub's store, fetched with the token (an <img src> could not send it). */
export async function fetchRaw(sha256: string): Promise<Blob> {
  const res = await fetch(`/api/v1/raw/${sha256}`, { headers: authHeaders() });
  if (!res.ok) throw new ApiError(res.status, `raw file ${sha256.slice(0, 12)}…: ${res.status} ${res.statusText}`);
  return res.blob();
}

/** A raw file as a stream, for large images read only in part. */
export async function fetchRawStream(sha256: string): Promise<ReadableStream<Uint8Array>> {
  const res = await fetch(`/api/v1/raw/${sha256}`, { headers: authHeaders() });
  if (!res.ok || !res.body) throw new ApiError(res.status, `raw file ${sha256.slice(0, 12)}…: ${res.status} ${res.statusText}`);
  return res.body;
}
