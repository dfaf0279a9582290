/** The cell of a group header row: fold arrow, name, count and what is not well in it. */
import { h } from 'vue';
import { plural } from '../../../../shared/plural';
import type { FleetGroupRow } from '../../stores/fleet-grouping';

export function groupCell(group: FleetGroupRow) {
  const trouble = [group.offline ? `${group.offline} offline` : '', group.late ? `${group.late} late` : ''].filter(Boolean);
  return h('div', { class: 'group-head', 'data-testid': 'group-head' }, [
    h('span', { class: ['fold', { closed: group.collapsed }], 'aria-hidden': 'true' }, '▾'),
    h('span', { class: ['group-label', { none: group.none }], title: group.label }, group.label),
    h('span', { class: 'group-count', 'data-testid': 'group-count' }, plural(group.count, 'device')),
    trouble.length ? h('span', { class: 'group-trouble' }, trouble.join(' · ')) : null,
  ]);
}
