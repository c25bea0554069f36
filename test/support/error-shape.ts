/**
 * Asserts the app's one error shape: exactly { statusCode, error, message }, a snake_case code, one
 * string message, and nothing that looks like a stack trace.
 */
export function expectErrorBody(body: unknown, statusCode: number, error?: string): void {
  expect(body).toEqual({
    statusCode,
    error: error ?? expect.stringMatching(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/),
    message: expect.any(String),
  });
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\bat .+\(.*:\d+:\d+\)|node_modules|\.ts:\d+/);
}
