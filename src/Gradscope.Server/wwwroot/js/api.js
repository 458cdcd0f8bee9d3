// The dashboard's one way to the server: JSON in and out, errors as RFC 7807 problem details.
export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

export async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { accept: "application/json", ...(options.headers || {}) } });
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { /* not JSON: keep the status text */ }
    throw new ApiError(response.status, problem.title || response.statusText || `HTTP ${response.status}`, problem.detail || "");
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const post = (path, body) =>
  api(path, { method: "POST", headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

// Query string from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") q.set(key, String(value));
  const text = q.toString();
  return text ? "?" + text : "";
}

export const runPath = id => `/api/runs/${encodeURIComponent(id)}`;
