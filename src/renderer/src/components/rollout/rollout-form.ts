/**
 * The "new rollout" form as the operator fills it in, checked field by field (inline messages that
 * say the fix) and turned into the admin API's create request only when nothing is wrong.
 */
import type { RolloutCreate } from '../../../../shared/api/rollouts';

export type TargetKind = 'profile' | 'tag' | 'devices' | 'outdated';

/** One phase row: a fixed number of devices or a share of the target; "the rest" always follows. */
export interface PhaseRow { kind: 'size' | 'percent'; value: number | null }

export interface RolloutFormState {
  firmwareId: number | null;
  target: TargetKind;
  profileId: number | null;
  tag: string;
  devices: string[];
  phases: PhaseRow[];
  maxConcurrent: number | null;
  /** seconds an updated device has to check in confirmed on the new version */
  confirmWithinSec: number | null;
  /** seconds a phase is watched after its last device settled, before the next one starts */
  observeSec: number | null;
  /** bytes; empty = no floor */
  heapFloor: number | null;
  /** failures in a phase that pause the rollout; empty = the server's default (canary: any failure) */
  maxFailures: number | null;
  allowDowngrade: boolean;
}

export function emptyRolloutForm(devices: string[] = []): RolloutFormState {
  return {
    firmwareId: null,
    target: devices.length ? 'devices' : 'outdated',
    profileId: null,
    tag: '',
    devices,
    phases: [{ kind: 'size', value: 1 }, { kind: 'percent', value: 10 }],
    maxConcurrent: 5,
    confirmWithinSec: 600,
    observeSec: 30,
    heapFloor: null,
    maxFailures: null,
    allowDowngrade: false,
  };
}

export type RolloutFormErrors = Partial<Record<'firmwareId' | 'target' | 'phases' | 'maxConcurrent' | 'confirmWithinSec' | 'observeSec' | 'heapFloor' | 'maxFailures', string>>
  & { phaseRows?: (string | undefined)[] };

const isWhole = (n: number | null): n is number => n !== null && Number.isInteger(n);

export function validateRolloutForm(form: RolloutFormState): RolloutFormErrors {
  const errors: RolloutFormErrors = {};
  if (form.firmwareId === null) errors.firmwareId = 'Choose the image to roll out.';
  if (form.target === 'profile' && form.profileId === null) errors.target = 'Choose a profile, or pick another target.';
  if (form.target === 'tag' && !form.tag.trim()) errors.target = 'Type the tag whose devices get the image.';
  if (form.target === 'devices' && !form.devices.length) errors.target = 'Pick at least one device (or select them on the Fleet page first).';

  const rows = form.phases.map((row): string | undefined => {
    if (row.kind === 'size') return isWhole(row.value) && row.value >= 1 && row.value <= 10000 ? undefined : 'A whole number of devices, 1 to 10 000.';
    return row.value !== null && row.value >= 0.1 && row.value <= 100 ? undefined : 'A share between 0.1 and 100 %.';
  });
  if (rows.some(Boolean)) errors.phaseRows = rows;
  // "the rest" is the implicit last phase, so at most nine listed ones
  if (form.phases.length > 9) errors.phases = 'At most 9 phases before “the rest”.';

  if (!isWhole(form.maxConcurrent) || form.maxConcurrent < 1 || form.maxConcurrent > 1000) errors.maxConcurrent = 'A whole number of devices, 1 to 1000.';
  if (!isWhole(form.confirmWithinSec) || form.confirmWithinSec < 10 || form.confirmWithinSec > 7 * 86400) {
    errors.confirmWithinSec = 'Seconds, 10 to 604 800 (a week).';
  }
  if (!isWhole(form.observeSec) || form.observeSec < 0 || form.observeSec > 86400) errors.observeSec = 'Seconds, 0 to 86 400 (a day).';
  if (form.heapFloor !== null && (!isWhole(form.heapFloor) || form.heapFloor < 0 || form.heapFloor > 1 << 20)) {
    errors.heapFloor = 'Bytes of free heap up to 1 048 576, or empty for no floor.';
  }
  if (form.maxFailures !== null && (!isWhole(form.maxFailures) || form.maxFailures < 0)) {
    errors.maxFailures = 'A whole number (0 = any failure pauses), or empty for the default.';
  }
  return errors;
}

export function hasErrors(errors: RolloutFormErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The create request; call only when validateRolloutForm found nothing. */
export function rolloutRequest(form: RolloutFormState): RolloutCreate {
  const target: RolloutCreate['target'] =
    form.target === 'profile' ? { profileId: form.profileId! }
      : form.target === 'tag' ? { tag: form.tag.trim() }
        : form.target === 'devices' ? { devices: form.devices }
          : { outdated: true };
  return {
    firmwareId: form.firmwareId!,
    target,
    // the server adds "the rest" as the last phase when the listed ones do not reach 100 %
    phases: form.phases.length ? form.phases.map((row) => (row.kind === 'size' ? { size: row.value! } : { percent: row.value! })) : [{ percent: 100 }],
    maxConcurrent: form.maxConcurrent!,
    gate: {
      confirmWithinSec: form.confirmWithinSec!,
      heapFloor: form.heapFloor,
      maxReboots: 3,
      observeSec: form.observeSec!,
      ...(form.maxFailures === null ? {} : { maxFailures: form.maxFailures }),
    },
    allowDowngrade: form.allowDowngrade,
  };
}
