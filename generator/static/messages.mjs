// The browser's messages. The build replaces this module with the site locale's catalog.
export const MESSAGES = {};

export function format(message, fields = {}) {
  return String(message ?? "").replace(/\{(\w+)\}/g, (_, key) => String(fields[key] ?? ""));
}
