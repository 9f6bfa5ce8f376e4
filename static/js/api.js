// Talking to the server: one POST per view state, errors as ApiError.
import { lang, t } from "./i18n.js";

export class ApiError extends Error {
  /** A message for the learner, and the request field it is about (or null). */
  constructor(message, field = null, status = 0) {
    super(message);
    this.name = "ApiError";
    this.field = field;
    this.status = status;
  }
}

/**
 * POST a trace request. Resolves with the trace JSON; rejects with ApiError
 * for an answer the server refused, or with the AbortError of `signal`.
 */
export async function fetchTrace(url, request, signal) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": lang() },
      body: JSON.stringify(request),
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(t("page.api.unreachable"));
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    if (error.name === "AbortError") throw error;
  }
  if (!response.ok) {
    const message = body && typeof body.error === "string"
      ? body.error
      : t("page.api.refused", { status: String(response.status) });
    throw new ApiError(message, body && typeof body.field === "string" ? body.field : null, response.status);
  }
  if (!body) throw new ApiError(t("page.api.unreadable"), null, response.status);
  return body;
}
