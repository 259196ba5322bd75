// Connector contract, per-system clients, the mapping engine and sandbox servers (E1, C1, C2).
export {};
