import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Config, DEFAULT_CONFIG, readConfig, SHUTDOWN_ANSWER_MS } from '../../src/config.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** `${NAME:-default}` as compose resolves it with NAME unset. */
const composeDefault = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('the Docker and Kubernetes files agree with the configuration (issue #27.3)', () => {
  const dockerfile = read('Dockerfile');
  const compose = parse(read('docker/compose.yaml')) as { services: { bitplan: { ports: string[]; environment: Record<string, string>; stop_grace_period: string; stop_signal: string } } };
  const [deployment, service] = parseAllDocuments(read('docker/kubernetes.yaml')).map((document) => document.toJS());
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('names only variables the service reads, with values it accepts', () => {
    const environments: Record<string, string>[] = [
      Object.fromEntries(Object.entries(compose.services.bitplan.environment).map(([name, value]) => [name, composeDefault(String(value))])),
      Object.fromEntries(container.env.map((entry: { name: string; value: string }) => [entry.name, entry.value])),
    ];
    for (const environment of environments) {
      for (const name of Object.keys(environment)) expect(Object.keys(Config.shape), name).toContain(name);
      expect(() => readConfig(environment)).not.toThrow();
    }
  });

  it('gives in-flight solves SHUTDOWN_TIMEOUT_MS and their 503 answers time to be written within the orchestrator grace period', () => {
    const composeGraceMs = Number(/^(\d+)s$/.exec(compose.services.bitplan.stop_grace_period)![1]) * 1000;
    const composeTimeoutMs = readConfig({ SHUTDOWN_TIMEOUT_MS: composeDefault(compose.services.bitplan.environment.SHUTDOWN_TIMEOUT_MS!) }).SHUTDOWN_TIMEOUT_MS;
    expect(compose.services.bitplan.stop_signal).toBe('SIGTERM');
    expect(composeTimeoutMs + SHUTDOWN_ANSWER_MS).toBeLessThan(composeGraceMs);
    const kubernetesTimeoutMs = readConfig(Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]))).SHUTDOWN_TIMEOUT_MS;
    expect(kubernetesTimeoutMs + SHUTDOWN_ANSWER_MS).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
    // The default alone fits Kubernetes' default grace period (30 s) too.
    expect(DEFAULT_CONFIG.SHUTDOWN_TIMEOUT_MS + SHUTDOWN_ANSWER_MS).toBeLessThan(30_000);
  });

  it('serves and probes the port the image listens on, at /healthz and /readyz', () => {
    const exposed = Number(/^EXPOSE (\d+)$/m.exec(dockerfile)![1]);
    expect(Number(/^ENV .*PORT=(\d+)/m.exec(dockerfile)![1])).toBe(exposed);
    expect(exposed).toBe(DEFAULT_CONFIG.PORT);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(compose.services.bitplan.ports.map((port) => composeDefault(port))).toEqual([`${exposed}:${exposed}`]);
    const http = container.ports.find((port: { name: string }) => port.name === 'http');
    expect(http.containerPort).toBe(exposed);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    // Ready once the solver threads are warm (SOLVER_WARM_UP), 503 before.
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(service.spec.ports[0].targetPort).toBe('http');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  it('reads the former name SHUTDOWN_GRACE_MS when SHUTDOWN_TIMEOUT_MS is not set', () => {
    expect(readConfig({ SHUTDOWN_GRACE_MS: '1500' }).SHUTDOWN_TIMEOUT_MS).toBe(1500);
    expect(readConfig({ SHUTDOWN_GRACE_MS: '1500', SHUTDOWN_TIMEOUT_MS: '900' }).SHUTDOWN_TIMEOUT_MS).toBe(900);
    expect(() => readConfig({ SHUTDOWN_GRACE_MS: 'soon' })).toThrow(/SHUTDOWN_TIMEOUT_MS="soon"/);
  });
});
