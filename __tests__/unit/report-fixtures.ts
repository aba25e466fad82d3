// Findings and reports for the reporters' table tests.
import { verdictOf } from '../../src/checks/verdict.js';
import type { Finding, Report, Status } from '../../src/model.js';

export const finding = (status: Status, extra: Partial<Finding> = {}): Finding => ({ id: 'pull-permission', status, title: `t-${status}`, detail: `d-${status}`, cluster: 'aks1', registry: 'myacr', ...extra });
export const report = (checks: Finding[]): Report => ({ schemaVersion: 1, tool: { name: 'aks-acr-preflight', version: '0.0.0' }, result: verdictOf(checks), durationMs: 1, clusters: [], registries: [], checks });
