/** Admin contract: devices seen advertising themselves on the LAN over mDNS. */

/** Which self-advertisement a device was seen through. */
export type SeenDeviceKind = 'fleetdesk-dev' | 'arduino' | 'http';

/** A device advertising itself on the LAN (mDNS), registered or not — the UI matches `mac` to the fleet. */
export interface SeenDevice {
  /** DNS-SD instance name with type, e.g. "esp-a1b2c3._fleetdesk-dev._tcp.local" (unique key) */
  fqdn: string;
  name: string;
  kind: SeenDeviceKind;
  /** SRV target, e.g. "esp-a1b2c3.local" */
  host: string;
  port: number;
  addresses: string[];
  /** normalised MAC from TXT `mac`, when advertised */
  mac: string | null;
  /** firmware version from TXT `fw`, when advertised */
  fw: string | null;
  /** interface it was seen on */
  interface: string;
  lastSeenAt: number;
}
