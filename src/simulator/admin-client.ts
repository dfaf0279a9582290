/**
 * Just enough of the admin API (loopback, bearer admin token) for what the device protocol cannot
 * do: putting simulated devices into a profile (`--profile`). The benchmark uses it too.
 */
import type http from 'node:http';
import type { BulkResult, Profile } from '../shared/api';
import type { ConfigObject } from '../shared/config';
import { requestJson } from './http-client';

export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly agent?: http.Agent,
  ) {}

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, json?: unknown): Promise<T> {
    const { body } = await requestJson<T>({
      method, url: new URL(path, this.baseUrl).toString(), json, agent: this.agent, timeoutMs: 60_000,
      headers: { authorization: `Bearer ${this.token}` },
    });
    return body;
  }

  /** The profile with this name, created (empty) when it does not exist yet. */
  async ensureProfile(name: string): Promise<Profile> {
    const profiles = await this.request<Profile[]>('GET', '/api/profiles');
    return profiles.find((p) => p.name === name) ?? (await this.request<Profile>('POST', '/api/profiles', { name, description: 'created by the device simulator', defaults: {} }));
  }

  assignProfile(profileId: number, deviceIds: string[]): Promise<BulkResult> {
    return this.request<BulkResult>('POST', '/api/devices/bulk', { target: { ids: deviceIds }, op: { action: 'setProfile', profileId } });
  }

  setProfileDefaults(profileId: number, defaults: ConfigObject): Promise<Profile> {
    return this.request<Profile>('PUT', `/api/profiles/${profileId}/config`, { defaults });
  }
}
