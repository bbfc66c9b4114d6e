/**
 * TLS settings for the API server and the kubelet (CIS: strong ciphers, section 1.2 for the API
 * server, 4.2.13 for the kubelet): TLS 1.2 at least, and for TLS 1.2 only AEAD suites with forward
 * secrecy. TLS 1.3 suites are not configurable.
 */
export const tlsMinVersion = "VersionTLS12";

export const tlsCipherSuites = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
];
