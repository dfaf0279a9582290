import type { Repos } from '../../db/repos';
import type { ClaimRow } from '../../db/repos/admission-repo';
import { NewDeviceBudgets, type BudgetLimits } from './budgets';
import { LimitTracker } from './limits';

/** What admission keeps in memory: budgets, recent limit hits, open claims, pre-authorised ids. */
export interface AdmissionState {
  budgets: NewDeviceBudgets;
  limits: LimitTracker;
  /** by device id; expired ones are ignored and swept by the retention run */
  claims: Map<string, ClaimRow>;
  preauthorized: Set<string>;
  pendingCache: { at: number; value: number };
}

export function loadAdmission(repos: Repos, limits: () => BudgetLimits, budgetExempt: (remoteAddress: string) => boolean): AdmissionState {
  return {
    budgets: new NewDeviceBudgets(limits, budgetExempt),
    limits: new LimitTracker(),
    claims: new Map(repos.admission.claims().map((c) => [c.deviceId, c])),
    preauthorized: new Set(repos.admission.preauthorized().map((p) => p.id)),
    pendingCache: { at: -Infinity, value: 0 },
  };
}
