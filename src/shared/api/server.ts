/** Admin contract: what the running server reports about itself (listeners, mDNS, restart needs). */

export interface MdnsInterfaceChoice { name: string; address: string; advertisedByDefault: boolean }

export interface ServerInfo {
  serverId: string;
  version: string;
  device: { bind: string; port: number; urls: string[] };
  admin: { port: number; url: string };
  mdns: {
    enabled: boolean;
    state: 'off' | 'starting' | 'advertising' | 'error';
    name: string;
    interfaces: { name: string; address: string }[];
    message?: string;
    /** host name advertised in SRV/A records, e.g. "myhost.local" */
    host?: string;
    /** service type, "_fleetdesk._tcp" */
    serviceType?: string;
    /**
     * Interfaces that could be chosen in the mdnsInterfaces setting (IPv4, never loopback), one entry
     * per address; `advertisedByDefault` = taken by the default "every LAN interface". Always present
     * in GET /api/server, mDNS on or off.
     */
    available?: MdnsInterfaceChoice[];
  };
  /** settings whose change needs a restart and differ from what runs */
  restartNeeded: string[];
  dataDir: string;
}
