/** Injection token of the app's prom-client Registry. */
export const PROMETHEUS_REGISTRY = Symbol('PROMETHEUS_REGISTRY');
