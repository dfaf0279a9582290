/**
 * Admission as the operator sees it: claims on existing devices (waiting requests and open claim
 * windows), pre-authorised ids, and the budgets and caps, whose recent refusals drive the banner.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { FleetDelta } from '../../../shared/api';
import type { ClaimView, LimitsState, PreauthorizeResult, PreauthorizedDevice } from '../../../shared/api/claims';
import { api } from '../api/client';
import { liveWiring } from './live';

export const LIMIT_TITLES: Record<string, string> = {
  fleet_cap: 'The fleet is full',
  pending_cap: 'Too many devices are waiting for approval',
  global_budget: 'New devices are arriving faster than the budget allows',
  network_budget: 'One network is registering too many new devices',
  register_rate: 'One network is flooding the app with registration requests',
};

export const useAdmissionStore = defineStore('admission', () => {
  const limits = ref<LimitsState | null>(null);
  const claims = ref<ClaimView[]>([]);
  const preauthorized = ref<PreauthorizedDevice[]>([]);
  /** kinds the operator dismissed, until they are hit again (lastAt moves on) */
  const dismissed = ref<Record<string, number>>({});

  const banner = computed(() => (limits.value?.recent ?? []).filter((hit) => (dismissed.value[hit.kind] ?? 0) < hit.lastAt));
  const waitingClaims = computed(() => claims.value.filter((c) => c.kind === 'request').length);

  async function loadLimits(): Promise<void> {
    limits.value = await api.admission.limits();
  }
  async function loadClaims(): Promise<void> {
    claims.value = (await api.admission.claims()).items;
  }
  async function loadPreauthorized(): Promise<void> {
    preauthorized.value = (await api.admission.preauthorized()).items;
  }

  async function approveClaim(deviceId: string): Promise<void> {
    claims.value = (await api.admission.approveClaim(deviceId)).items;
  }
  async function rejectClaim(deviceId: string): Promise<void> {
    await api.admission.rejectClaim(deviceId);
    await loadClaims();
  }
  async function preauthorize(macs: string, note: string): Promise<PreauthorizeResult> {
    const result = await api.admission.preauthorize(macs, note);
    await loadPreauthorized();
    return result;
  }
  async function removePreauthorized(id: string): Promise<void> {
    await api.admission.removePreauthorized(id);
    preauthorized.value = preauthorized.value.filter((p) => p.id !== id);
  }

  function dismiss(kind: string): void {
    const hit = limits.value?.recent.find((h) => h.kind === kind);
    if (hit) dismissed.value = { ...dismissed.value, [kind]: hit.lastAt };
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    if (deltas.some((d) => d.type === 'limits' || d.type === 'settings')) {
      void loadLimits().catch(() => undefined);
      void loadClaims().catch(() => undefined);
    }
    // a pre-authorised device that registered leaves the list
    if (preauthorized.value.length && deltas.some((d) => d.type === 'device' && preauthorized.value.some((p) => p.id === d.device.id))) {
      void loadPreauthorized().catch(() => undefined);
    }
  }

  const wire = liveWiring(applyDeltas, () => {
    void loadLimits().catch(() => undefined);
    void loadClaims().catch(() => undefined);
  });

  return {
    limits, claims, preauthorized, banner, waitingClaims,
    loadLimits, loadClaims, loadPreauthorized, approveClaim, rejectClaim, preauthorize, removePreauthorized, dismiss, applyDeltas, wire,
  };
});
