/** Hash history: the UI is served as static files by the core and loaded as-is in Electron. */
import { createRouter, createWebHashHistory } from 'vue-router';
// the fleet is the first screen: bundled eagerly so a cold start does not wait for a lazy chunk
import FleetView from './views/FleetView.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'fleet', component: FleetView, meta: { title: 'Fleet' } },
    { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { title: 'Dashboard' } },
    { path: '/devices/:id', name: 'device', component: () => import('./views/DeviceView.vue'), props: true, meta: { title: 'Device' } },
    { path: '/pending', name: 'pending', component: () => import('./views/PendingView.vue'), meta: { title: 'Awaiting approval' } },
    { path: '/profiles', name: 'profiles', component: () => import('./views/ProfilesView.vue'), meta: { title: 'Profiles' } },
    { path: '/profiles/:id', name: 'profile', component: () => import('./views/ProfileView.vue'), props: true, meta: { title: 'Profile' } },
    { path: '/firmware', name: 'firmware', component: () => import('./views/FirmwareView.vue'), meta: { title: 'Firmware' } },
    { path: '/alerts', name: 'alerts', component: () => import('./views/AlertsView.vue'), meta: { title: 'Alerts' } },
    { path: '/rollouts', name: 'rollouts', component: () => import('./views/RolloutsView.vue'), meta: { title: 'Rollouts' } },
    { path: '/rollouts/new', name: 'rollout-new', component: () => import('./views/RolloutNewView.vue'), meta: { title: 'New rollout' } },
    { path: '/rollouts/:id(\\d+)', name: 'rollout', component: () => import('./views/RolloutView.vue'), props: true, meta: { title: 'Rollout' } },
    { path: '/events', name: 'events', component: () => import('./views/EventsView.vue'), meta: { title: 'Events' } },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue'), meta: { title: 'Server & settings' } },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : '';
  if (typeof document !== 'undefined') document.title = title ? `${title} · FleetDesk` : 'FleetDesk';
});
