// Loaded before every test file of every tier (vitest.config.ts): a test that
// tried to reach beyond this machine fails, whatever it did with the error.
import { afterAll, afterEach } from 'vitest';
import { failOnBlockedConnections, installNetworkGuard } from './network-guard.ts';

installNetworkGuard();
afterEach(failOnBlockedConnections);
// What a file's beforeAll or afterAll tried counts too.
afterAll(failOnBlockedConnections);
