/** One request to the local gateway as the benchmarks make it: JSON or CSV in, JSON out, any non-2xx thrown. */
export async function call(base: string, method: string, path: string, options: { token?: string; json?: unknown; csv?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.csv !== undefined) {
    headers['content-type'] = 'text/csv; charset=utf-8';
    body = options.csv;
  }
  const response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

/**
 * A trainer's token, made a national trainer by an admin (level-0 trainings need one, by the
 * cascade rules): the benchmarks' training owner.
 */
export async function nationalTrainerToken(base: string): Promise<string> {
  const token = (await call(base, 'POST', '/api/local/token', { json: { email: 'bench.trainer@bench.kz', name: 'Ерлан Жақыпов', groups: ['trainers'] } }))
    .token as string;
  const adminToken = (await call(base, 'POST', '/api/local/token', { json: { email: 'bench.admin@bench.kz', name: 'Әкімші', groups: ['admins'] } }))
    .token as string;
  await call(base, 'PUT', `/api/national-trainers/${encodeURIComponent('bench.trainer@bench.kz')}`, { token: adminToken });
  return token;
}

/** One JSON POST, timed; a refused or reset connection comes back as status 0, never thrown. */
export async function post(base: string, path: string, body: unknown, token?: string) {
  const started = performance.now();
  try {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: response.status, json, elapsedMs: performance.now() - started };
  } catch {
    return { status: 0, json: {}, elapsedMs: performance.now() - started };
  }
}
