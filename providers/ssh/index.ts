/** The SSH layer: pinned host keys, one reused TCP_NODELAY connection per host, redacted errors. */
export { SshConnection, type ConnectionTarget } from "./connection";
export { SshError, isSshError, type SshFailure, type SshFailureKind } from "./errors";
export { fingerprintOf, keyTypeOf, normalizeFingerprint } from "./fingerprint";
export { SshPool, type PoolOptions } from "./pool";
export { ApiTunnel, type ApiTunnelOptions } from "./tunnel";
export { redact, registerSecret, tail } from "./redact";
export { RemoteHost, sha256, type RemoteFile } from "./remote";
export { backoffDelay, defaultConnectPolicy, mayRerun, withRetry, type RetryPolicy } from "./retry";
export { shellQuote, wrapCommand } from "./command";
export type { ExecOptions, ExecResult, Logger, SshEndpoint, SshTarget } from "./types";
