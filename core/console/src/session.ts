// The officer's bearer token lives in sessionStorage: gone when the tab closes, never in a cookie.
const KEY = 'customs-hub.token';

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}
