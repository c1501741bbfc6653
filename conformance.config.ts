import { defineConfig } from './src/model/config-file';

/**
 * The suite's strictness, in one place (every key optional; an empty object keeps the defaults).
 * A target profile (contracts/targets/<name>.yaml) may set `checks` and `drift` too; this file
 * wins over it, and the environment (CONFORMANCE_TARGET_PROFILE, CONFORMANCE_MAX_RESPONSE_MS)
 * wins over this file. Another file: CONFORMANCE_CONFIG=path. The run prints what it applies
 * and writes it to reports/effective-config.json.
 *
 * Examples:
 *   profile: 'polytomic',                                    // which contracts/targets/<name>.yaml answers the open questions
 *   maxResponseTimeMs: 5000,                                 // budget of max_response_time
 *   checks: {
 *     spec_drift: { enabled: false },                        // a check off for the run
 *     response_schema_conformance: { operations: { users_list: false } },   // ...or for one operation
 *     negative_data_rejection: { expectedStatuses: [400, 422] },           // statuses a check accepts
 *   },
 *   drift: {
 *     policy: { undeclared_field: 'fail', undeclared_header: 'off' },      // fail, warn or off, per kind
 *     infrastructureHeaders: ['x-edge-*', 'cf-*'],                         // never drift (replaces the built-in list)
 *   },
 */
export default defineConfig({});
