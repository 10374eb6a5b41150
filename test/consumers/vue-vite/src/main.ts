import { createApp } from 'vue';
import 'meetergo-slots'; // defines <meetergo-slots>
import type {} from 'meetergo-slots/vue'; // <meetergo-slots> in templates (GlobalComponents)
import App from './App.vue';

createApp(App).mount('#app');
